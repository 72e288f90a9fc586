/// The keys a configuration file may hold, the check that finds a misspelt one, and the check of
/// provider ids.
extension ProcessingConfiguration {
    /// Every key a configuration file may contain: the processing keys, the trusted-node defaults,
    /// and the keys of the submission side that share the same files (`upload_point`,
    /// `notification`). Any other key is refused, so that a misspelling is never silently ignored.
    public static let knownKeys: [String] = [
        "elapsed_time_width", "fault_limit", "strict_mode", "verbose", "local", "management_url", "provider_id",
        "provider_organization_name", "provider_email", "upload_point", "notification",
        // Accurate mode (``AccurateSettings/keys``).
        "mode", "gap_limit_seconds", "apply_dpt_offset", "depth_preference", "ping_window_seconds", "bad_talkers",
    ]

    /// The known key closest to `key` (fewest single-character insertions, deletions, substitutions
    /// and swaps of neighbours, ignoring case), when it is close enough to be a likely misspelling:
    /// at most a third of the key's length, and at least 1 edit.
    public static func closestKnownKey(to key: String) -> String? {
        let typed = Array(key.lowercased().utf8)
        var best: (key: String, distance: Int)?
        for candidate in knownKeys {
            let distance = editDistance(typed, Array(candidate.utf8))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(1, typed.count / 3) else { return nil }
        return best.key
    }

    /// The optimal-string-alignment distance between two byte strings (Levenshtein plus swaps of
    /// two neighbouring characters, so `widht` is one edit from `width`).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows: two back (for swaps), previous and current.
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, twoBack[j - 2] + 1) }
                current[j] = value
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }

    /// Checks a trusted-node provider id: ASCII letters and digits only, starting with a letter
    /// (`UNHJHC`). The id prefixes every vessel id (`UNHJHC-<uuid>`), so anything else would make
    /// every output fail B-12 validation.
    ///
    /// - Parameters:
    ///   - id: The id to check.
    ///   - source: Where it came from, as the user wrote it: `--provider-id`, `PROVIDER_ID`, …
    /// - Throws: ``ConfigurationError/badProviderID(value:source:)``.
    public static func checkProviderID(_ id: String, source: String) throws(ConfigurationError) {
        let bytes = Array(id.utf8)
        func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        guard let first = bytes.first, isLetter(first), bytes.allSatisfy({ isLetter($0) || ($0 >= 48 && $0 <= 57) })
        else { throw .badProviderID(value: id, source: source) }
    }
}
