/// Everything the ledger knows about one logger file: its history, folded into a state.
public struct LedgerRecord: Sendable, Hashable {
    /// SHA-256 of the logger file's bytes, lower-case hex: the record's identity.
    public var file: String
    /// The history, in order (sequence 0, 1, 2 …).
    public var entries: [LedgerEntry]

    /// Creates a record.
    public init(file: String, entries: [LedgerEntry] = []) {
        self.file = file
        self.entries = entries
    }

    /// Whether nothing is recorded yet.
    public var isEmpty: Bool { entries.isEmpty }

    /// The sequence number the next entry gets.
    public var nextSequence: Int { (entries.last?.sequence ?? -1) + 1 }

    /// The state after the last entry (`nil` for an empty record).
    public var state: LedgerState? {
        var state: LedgerState?
        for entry in entries { state = entry.event.state(after: state) }
        return state
    }

    /// The state as operators see it at `now`: a claim past its deadline with no outcome is `unknown`.
    public func effectiveState(now: Int64) -> LedgerState? {
        if state == .claimed, isStale(now: now) { return .unknown }
        return state
    }

    /// The last claim, when the file is ``LedgerState/claimed``.
    public var activeClaim: LedgerEntry? {
        guard state == .claimed else { return nil }
        return entries.last { $0.event == .claimed }
    }

    /// Whether the file is claimed and the claim's deadline has passed.
    public func isStale(now: Int64) -> Bool {
        guard let claim = activeClaim else { return false }
        return now > (claim.deadline ?? claim.time)
    }

    /// The last ``LedgerEvent/processed`` entry (staged key, soundings, vessel id).
    public var lastProcessed: LedgerEntry? { entries.last { $0.event == .processed } }

    /// The entry that set the current state (for its reason), skipping `seen`.
    public var lastStateChange: LedgerEntry? { entries.last { $0.event != .seen } }

    /// Every incoming object this file arrived as, in order of first appearance.
    public var sources: [LedgerObject] {
        var result: [LedgerObject] = []
        for entry in entries {
            if let source = entry.source, !result.contains(source) { result.append(source) }
        }
        return result
    }

    /// The time of the first and the last entry.
    public var timeSpan: ClosedRange<Int64>? {
        guard let first = entries.first?.time, let last = entries.last?.time else { return nil }
        return min(first, last)...max(first, last)
    }
}

extension LedgerRecord {
    /// Whether `object` is one of the file's sources or its staged GeoJSON.
    public func names(_ object: LedgerObject) -> Bool {
        sources.contains(object) || entries.contains { $0.staged == object }
    }

    /// Whether any source or staged object lies in `bucket` under `prefix`.
    public func lies(in bucket: String, under prefix: String) -> Bool {
        entries.contains { entry in
            [entry.source, entry.staged].contains { object in
                guard let object else { return false }
                return object.bucket == bucket && object.key.hasPrefix(prefix)
            }
        }
    }
}
