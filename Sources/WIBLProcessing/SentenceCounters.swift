import WIBLFormat

/// Packed sentence names (bytes 3…5 of the sentence, their count in the top byte), used as cheap
/// keys for statistics: no `String` is created per sentence.
typealias NameKey = UInt32

/// Observation and fault counts per sentence name, in order of first appearance. A file has few
/// names, so a linear search over the first ones beats hashing; a dictionary catches the rest.
struct SentenceCounters {
    struct Counts {
        var observed = 0
        var faults: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
    }

    var keys: [NameKey] = []
    var counts: [Counts] = []
    var index: [NameKey: Int] = [:]

    @inline(__always) mutating func slot(_ key: NameKey) -> Int {
        let linear = min(keys.count, 8)
        for i in 0..<linear where keys[i] == key { return i }
        if keys.count > 8, let i = index[key] { return i }
        keys.append(key)
        counts.append(Counts())
        index[key] = keys.count - 1
        return keys.count - 1
    }

    @inline(__always) mutating func observe(_ key: NameKey) {
        counts[slot(key)].observed += 1
    }

    mutating func fault(_ kind: FaultKind, _ key: NameKey) {
        let i = slot(key)
        switch kind {
        case .parse: counts[i].faults.0 += 1
        case .short: counts[i].faults.1 += 1
        case .decode: counts[i].faults.2 += 1
        case .attribute: counts[i].faults.3 += 1
        case .type: counts[i].faults.4 += 1
        case .checksum: counts[i].faults.5 += 1
        }
    }

    /// One entry per name, sorted by name.
    func entries(name: (NameKey) -> String) -> [NameStatistics] {
        var entries: [NameStatistics] = []
        entries.reserveCapacity(keys.count)
        for (key, c) in zip(keys, counts) {
            var entry = NameStatistics(name: name(key))
            entry.observed = c.observed
            let faults = [c.faults.0, c.faults.1, c.faults.2, c.faults.3, c.faults.4, c.faults.5]
            for (kind, count) in zip([FaultKind.parse, .short, .decode, .attribute, .type, .checksum], faults)
            where count > 0 {
                entry.faults[kind] = count
            }
            entries.append(entry)
        }
        return entries.sorted { $0.name < $1.name }
    }
}
