/// Why accurate mode left a depth observation out of the output.
public enum LeftOutReason: String, Sendable, Hashable, CaseIterable, Comparable {
    /// An NMEA2000 "no data" or reserved depth (−1e9, 42 949 672.92 m …), or a negative or
    /// non-finite one.
    case noData = "no-data"
    /// From a talker or source on the `bad_talkers` list.
    case badTalker = "bad-talker"
    /// A repeat of the same ping by the same source.
    case duplicate
    /// The same ping from a less preferred source (`depth_preference`).
    case otherSource = "other-source"
    /// Outside the time reports, or in a gap between them longer than the gap limit.
    case noTime = "no-time"
    /// Outside the position reports, or in a gap between them longer than the gap limit.
    case noPosition = "no-position"
    /// Without an elapsed time (stored as 0, `processing.md` §4).
    case noElapsed = "no-elapsed"

    /// Orders reasons as listed.
    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// How many depth observations accurate mode left out, per reason.
public struct SoundingsLeftOut: Sendable, Hashable, CustomStringConvertible {
    /// Count per reason; reasons with no observation are absent.
    public private(set) var counts: [LeftOutReason: Int] = [:]

    /// None left out.
    public init() {}

    /// The count for `reason` (0 when none).
    public subscript(reason: LeftOutReason) -> Int {
        get { counts[reason] ?? 0 }
        set { counts[reason] = newValue == 0 ? nil : newValue }
    }

    /// All reasons together.
    public var total: Int { counts.values.reduce(0, +) }

    /// Non-zero counts in the order of ``LeftOutReason``.
    public var entries: [(reason: LeftOutReason, count: Int)] {
        LeftOutReason.allCases.compactMap { reason in counts[reason].map { (reason, $0) } }
    }

    /// `3 no-data, 12 no-position`, or `none`.
    public var description: String {
        let parts = entries.map { "\($0.count) \($0.reason.rawValue)" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
