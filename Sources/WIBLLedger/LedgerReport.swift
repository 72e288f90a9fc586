import JSONValue

/// What `wibl status` shows: counts by state, the time covered, what was submitted, and every file
/// that needs a person's attention, with its reason.
public struct LedgerReport: Sendable, Hashable {
    /// One file that needs attention.
    public struct Problem: Sendable, Hashable {
        /// The ledger id.
        public var file: String
        /// Its state as shown (`failed`, `invalid`, `refused`, `unknown`, or `stale` for a stale claim).
        public var state: String
        /// Why (error class and message, DCDB's answer, or the claim's deadline).
        public var reason: String
        /// Where it came from (`s3://…`, first source).
        public var source: String?
        /// When the state was set, microseconds since the epoch.
        public var time: Int64
    }

    /// Files per state (`stale` claims count as `unknown`).
    public var counts: [LedgerState: Int]
    /// Files in all.
    public var files: Int
    /// The first and the last entry of the ledger.
    public var span: ClosedRange<Int64>?
    /// Soundings in the files DCDB accepted.
    public var soundingsSubmitted: Int
    /// Nautical miles of track in the files DCDB accepted.
    public var nauticalMilesSubmitted: Double
    /// Files needing attention, oldest first.
    public var problems: [Problem]
    /// Incoming objects that have no ledger entry yet (their event has not been handled).
    public var unrecorded: [String]

    /// Builds the report.
    ///
    /// - Parameters:
    ///   - records: The records to report on.
    ///   - unrecorded: Incoming objects with no record (`s3://…`).
    ///   - now: Now, microseconds since the epoch (claims past their deadline are stale).
    public init(records: [LedgerRecord], unrecorded: [String] = [], now: Int64) {
        var counts: [LedgerState: Int] = [:]
        var problems: [Problem] = []
        var soundings = 0
        var miles = 0.0
        var first: Int64?
        var last: Int64?
        for record in records {
            guard let state = record.effectiveState(now: now) else { continue }
            counts[state, default: 0] += 1
            if let span = record.timeSpan {
                first = min(first ?? span.lowerBound, span.lowerBound)
                last = max(last ?? span.upperBound, span.upperBound)
            }
            if state == .submitted, let processed = record.lastProcessed {
                soundings += processed.soundings ?? 0
                miles += processed.nauticalMiles ?? 0
            }
            let change = record.lastStateChange
            let source = record.sources.first?.description
            switch state {
            case .failed, .invalid, .refused:
                let reason = [change?.errorClass, change?.message ?? change?.note].compactMap { $0 }.joined(
                    separator: ": ")
                problems.append(
                    Problem(
                        file: record.file, state: state.rawValue, reason: reason, source: source,
                        time: change?.time ?? 0))
            case .unknown:
                if record.state == .claimed, let claim = record.activeClaim {
                    problems.append(
                        Problem(
                            file: record.file, state: "stale",
                            reason:
                                "claimed by \(claim.actor); its deadline \(isoTime(microseconds: claim.deadline ?? claim.time)) passed with no outcome: DCDB may have the file",
                            source: source, time: claim.time))
                } else {
                    let reason = [change?.errorClass, change?.message ?? change?.note].compactMap { $0 }.joined(
                        separator: ": ")
                    problems.append(
                        Problem(
                            file: record.file, state: "unknown", reason: reason, source: source,
                            time: change?.time ?? 0))
                }
            default: break
            }
        }
        self.counts = counts
        self.files = records.count
        self.span = first.flatMap { first in last.map { first...$0 } }
        self.soundingsSubmitted = soundings
        self.nauticalMilesSubmitted = miles
        self.problems = problems.sorted { $0.time < $1.time }
        self.unrecorded = unrecorded
    }

    /// The report as JSON (`wibl status --json`).
    public var json: JSONValue {
        var countObject = JSONObject()
        for state in LedgerState.allCases { countObject[state.rawValue] = .integer(Int64(counts[state] ?? 0)) }
        var root = JSONObject()
        root["files"] = .integer(Int64(files))
        root["states"] = .object(countObject)
        if let span {
            root["from"] = .string(isoTime(microseconds: span.lowerBound))
            root["to"] = .string(isoTime(microseconds: span.upperBound))
        }
        root["soundingsSubmitted"] = .integer(Int64(soundingsSubmitted))
        root["nauticalMilesSubmitted"] = .double((nauticalMilesSubmitted * 100).rounded() / 100)
        root["problems"] = .array(
            problems.map { problem in
                var object = JSONObject()
                object["file"] = .string(problem.file)
                object["state"] = .string(problem.state)
                object["reason"] = .string(problem.reason)
                if let source = problem.source { object["source"] = .string(source) }
                object["time"] = .string(isoTime(microseconds: problem.time))
                return .object(object)
            })
        root["unrecorded"] = .array(unrecorded.map { .string($0) })
        return .object(root)
    }

    /// The report as text for people.
    public var text: String {
        var lines: [String] = []
        let states = LedgerState.allCases.compactMap { state in
            counts[state].map { "\(state.rawValue) \($0)" }
        }
        lines.append(
            "\(files) file\(files == 1 ? "" : "s") in the ledger"
                + (states.isEmpty ? "" : ": " + states.joined(separator: ", ")))
        if let span {
            lines.append("from \(isoTime(microseconds: span.lowerBound)) to \(isoTime(microseconds: span.upperBound))")
        }
        let miles = (nauticalMilesSubmitted * 10).rounded() / 10
        lines.append("submitted: \(soundingsSubmitted) soundings, \(miles) nautical miles of track")
        if !unrecorded.isEmpty {
            lines.append(
                "\(unrecorded.count) incoming file(s) not in the ledger yet (no event handled; reconcile will):")
            lines += unrecorded.map { "  \($0)" }
        }
        if !problems.isEmpty {
            lines.append("needing attention:")
            for problem in problems {
                lines.append("  \(problem.state)  \(problem.file)  \(problem.source ?? "")")
                lines.append("      \(problem.reason)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
