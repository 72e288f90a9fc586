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

    /// Splits a parameter string into pairs (`processing.md` §12): empty → none; otherwise every
    /// comma-separated piece must be exactly `key=value`; a repeated key keeps its first position and
    /// takes the last value. `nil` when the string is malformed (P8).
    public static func parseParameters(_ text: String) -> [AlgorithmParameter]? {
        guard !text.isEmpty else { return [] }
        var result: [AlgorithmParameter] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = piece.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let key = String(parts[0])
            let value = String(parts[1])
            if let index = result.firstIndex(where: { $0.key == key }) {
                result[index].value = value
            } else {
                result.append(AlgorithmParameter(key: key, value: value))
            }
        }
        return result
    }
}

/// `nodatareject` (ON_LOAD, `processing.md` §11.2): removes NMEA2000 packets carrying "no data".
enum NoDataReject {
    static func run(_ packets: [Packet], nowMicroseconds: Int64) -> (packets: [Packet], comment: String) {
        let noData = -1_000_000_000.0
        let today = Int(nowMicroseconds.dividedRoundingDown(by: 86_400_000_000))
        var kept: [Packet] = []
        kept.reserveCapacity(packets.count)
        var gnss = (removed: 0, total: 0)
        var depth = (removed: 0, total: 0)
        var time = (removed: 0, total: 0)
        for packet in packets {
            switch packet {
            case .gnss(let p):
                gnss.total += 1
                if p.latitude == noData || p.longitude == noData {
                    gnss.removed += 1
                    continue
                }
            case .depth(let p):
                depth.total += 1
                if p.depth == noData {
                    depth.removed += 1
                    continue
                }
            case .systemTime(let p):
                time.total += 1
                if Int(p.date) > today || p.timestamp > 86_400.0 {
                    time.removed += 1
                    continue
                }
            default:
                break
            }
            kept.append(packet)
        }
        let removed = gnss.removed + depth.removed + time.removed
        let comment =
            "Filtered \(removed) packets of \(packets.count) total. Filtered \(gnss.removed) of \(gnss.total) GNSS packets. Filtered \(depth.removed) of \(depth.total) Depth packets. Filtered \(time.removed) of \(time.total) SystemTime packets."
        return (kept, comment)
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
