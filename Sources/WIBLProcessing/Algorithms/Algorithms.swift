import WIBLFormat

/// When an algorithm runs (`processing.md` §11.1).
public enum AlgorithmPhase: Sendable, Hashable {
    /// On the decoded packet list, before anything else.
    case onLoad
    /// On the interpolated soundings.
    case afterTimeInterpolation
}

/// The registry of algorithms a file may request (`processing.md` §11). Names are case-sensitive.
public enum AlgorithmRegistry {
    /// Name → (phase, version).
    public static let algorithms: [String: (phase: AlgorithmPhase, version: String)] = [
        "deduplicate": (.afterTimeInterpolation, "1.0.0"),
        "nodatareject": (.onLoad, "1.0.0"),
    ]

    /// The parsed parameters of each request, in order, after checking every name and parameter
    /// text (P8: names and parameters are checked together, before any algorithm runs).
    ///
    /// - Throws: ``ProcessingError/unknownAlgorithm(name:fileName:)`` or
    ///   ``ProcessingError/badAlgorithmParameters(name:parameters:)`` for the first bad request.
    static func checkedParameters(
        of requests: [AlgorithmRequest], fileName: String
    ) throws(ProcessingError) -> [[AlgorithmParameter]] {
        var parameters: [[AlgorithmParameter]] = []
        for request in requests {
            guard algorithms[request.name] != nil else {
                throw .unknownAlgorithm(name: request.name, fileName: fileName)
            }
            guard let parsed = parseParameters(request.parameters) else {
                throw .badAlgorithmParameters(name: request.name, parameters: request.parameters)
            }
            parameters.append(parsed)
        }
        return parameters
    }

    /// Splits a parameter string into pairs (`processing.md` §12): empty → none; otherwise every
    /// comma-separated piece must be exactly `key=value`; a repeated key keeps its first position and
    /// takes the last value. `nil` when the string is malformed (P8). Linear in the length of the
    /// string: repeated keys are found through a hash index, not by searching the pairs.
    public static func parseParameters(_ text: String) -> [AlgorithmParameter]? {
        guard !text.isEmpty else { return [] }
        var result: [AlgorithmParameter] = []
        var positions: [String: Int] = [:]
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = piece.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let key = String(parts[0])
            let value = String(parts[1])
            if let index = positions[key] {
                result[index].value = value
            } else {
                positions[key] = result.count
                result.append(AlgorithmParameter(key: key, value: value))
            }
        }
        return result
    }
}

/// `nodatareject` (ON_LOAD, `processing.md` §11.2): removes NMEA2000 packets carrying "no data".
enum NoDataReject {
    /// The "no data" value of the NMEA2000 fields.
    static let noData = -1_000_000_000.0

    /// Today, in days since 1970-01-01 (SystemTime packets dated later are removed).
    static func today(_ nowMicroseconds: Int64) -> Int {
        Int(nowMicroseconds.dividedRoundingDown(by: 86_400_000_000))
    }

    /// Whether `nodatareject` removes `packet`.
    @inline(__always) static func removes(_ packet: Packet, today: Int) -> Bool {
        switch packet {
        case .gnss(let p): p.latitude == noData || p.longitude == noData
        case .depth(let p): p.depth == noData
        case .systemTime(let p): Int(p.date) > today || p.timestamp > 86_400.0
        default: false
        }
    }

    /// The lineage comment of one run.
    static func comment(
        removed: Int, total: Int, gnss: (removed: Int, total: Int), depth: (removed: Int, total: Int),
        time: (removed: Int, total: Int)
    ) -> String {
        "Filtered \(removed) packets of \(total) total. Filtered \(gnss.removed) of \(gnss.total) GNSS packets. Filtered \(depth.removed) of \(depth.total) Depth packets. Filtered \(time.removed) of \(time.total) SystemTime packets."
    }

    /// One run over a packet list: the packets kept and the comment.
    static func run(_ packets: [Packet], nowMicroseconds: Int64) -> (packets: [Packet], comment: String) {
        var counts = NoDataCounts()
        let day = Self.today(nowMicroseconds)
        let kept = packets.filter { !counts.count($0, today: day) }
        return (kept, counts.comment(run: 0))
    }
}

/// `deduplicate` (AFTER_TIME_INTERP, `processing.md` §11.3): keeps the first of each run of equal
/// consecutive depths; a leading run of 0.0 is removed too.
enum Deduplicate {
    static func run(_ series: DepthSeries) -> (series: DepthSeries, comment: String) {
        var out = DepthSeries()
        var current = 0.0
        for n in 0..<series.count {
            let z = series.z[n]
            if z != current {
                out.t.append(series.t[n])
                out.lat.append(series.lat[n])
                out.lon.append(series.lon[n])
                out.z.append(z)
            }
            current = z
        }
        return (out, "Selected \(out.count) non-duplicate depths from \(series.count) in input.")
    }
}

extension Int64 {
    func dividedRoundingDown(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
