import JSONValue

/// How soundings are made (`"mode"` in the processing configuration).
public enum ProcessingMode: String, Sendable, Hashable, CaseIterable {
    /// The original implementation's exact behaviour, errors included (`processing.md`); the default,
    /// so outputs can be checked against the original's reference files.
    case reference
    /// Better soundings: real counter wraps told from reordering, no-data values and void fixes
    /// dropped, no extrapolation, one depth source per ping (``AccurateSettings``).
    case accurate
}

/// A kind of depth observation, for ``AccurateSettings/depthPreference``.
public enum DepthSourceKind: String, Sendable, Hashable, CaseIterable {
    /// NMEA2000 Depth packets (PGN 128267).
    case nmea2000
    /// NMEA0183 DPT sentences.
    case dpt = "DPT"
    /// NMEA0183 DBT sentences.
    case dbt = "DBT"
}

/// The settings of accurate mode (configuration keys in brackets).
public struct AccurateSettings: Sendable, Hashable {
    /// Longest gap between two time or position reports across which a sounding is still
    /// interpolated, in seconds (`gap_limit_seconds`, default 10). Soundings in longer gaps, and
    /// before the first or after the last report, are left out.
    public var gapLimitSeconds: Double = 10
    /// Add the transducer offset of DPT sentences and NMEA2000 Depth packets to the depth
    /// (`apply_dpt_offset`, default false).
    public var appliesDPTOffset = false
    /// Which source wins when several report the same ping (`depth_preference`, default
    /// `["nmea2000", "DBT", "DPT"]`); sources not listed come after, in order of appearance.
    public var depthPreference: [DepthSourceKind] = [.nmea2000, .dbt, .dpt]
    /// Observations of different sources (or repeats of one) within this many seconds are the same
    /// ping (`ping_window_seconds`, default 0.5).
    public var pingWindowSeconds: Double = 0.5
    /// NMEA0183 talker ids (`"II"`) and NMEA2000 source addresses (`"35"`) whose data is ignored
    /// (`bad_talkers`; upstream WIBL issues #51 and #121). Files of serialiser 1.0–1.3 carry no
    /// NMEA2000 source address, so address entries match nothing in them.
    public var badTalkers: [String] = []

    /// The defaults.
    public init() {}

    /// The configuration keys of accurate mode.
    public static let keys = [
        "mode", "gap_limit_seconds", "apply_dpt_offset", "depth_preference", "ping_window_seconds", "bad_talkers",
    ]
}

extension ProcessingConfiguration {
    /// Reads `mode` and the keys of ``AccurateSettings`` from a configuration object.
    mutating func readAccurateKeys(_ object: JSONObject) throws(ConfigurationError) {
        if let v = object["mode"] {
            guard let text = v.stringValue, let mode = ProcessingMode(rawValue: text) else {
                throw .badValue(key: "mode", expected: "\"reference\" or \"accurate\"", found: v.serialized())
            }
            self.mode = mode
        }
        func seconds(_ key: String) throws(ConfigurationError) -> Double? {
            guard let v = object[key] else { return nil }
            let number: Double? =
                switch v {
                case .integer(let i): Double(i)
                case .double(let d): d
                default: nil
                }
            guard let number, number.isFinite, number > 0 else {
                throw .badValue(key: key, expected: "a positive number of seconds", found: v.serialized())
            }
            return number
        }
        if let v = try seconds("gap_limit_seconds") { accurate.gapLimitSeconds = v }
        if let v = try seconds("ping_window_seconds") { accurate.pingWindowSeconds = v }
        if let v = object["apply_dpt_offset"] {
            guard let b = v.boolValue else {
                throw .badValue(key: "apply_dpt_offset", expected: "true or false", found: v.serialized())
            }
            accurate.appliesDPTOffset = b
        }
        if let v = object["depth_preference"] {
            let names = DepthSourceKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            guard let array = v.arrayValue else {
                throw .badValue(key: "depth_preference", expected: "an array of \(names)", found: v.serialized())
            }
            var preference: [DepthSourceKind] = []
            for item in array {
                guard let text = item.stringValue, let kind = DepthSourceKind(rawValue: text) else {
                    throw .badValue(key: "depth_preference", expected: "an array of \(names)", found: v.serialized())
                }
                if !preference.contains(kind) { preference.append(kind) }
            }
            accurate.depthPreference = preference
        }
        if let v = object["bad_talkers"] {
            let expected = "an array of NMEA0183 talker ids (\"II\") and NMEA2000 addresses (0…253)"
            guard let array = v.arrayValue else {
                throw .badValue(key: "bad_talkers", expected: expected, found: v.serialized())
            }
            var talkers: [String] = []
            for item in array {
                switch item {
                case .string(let s) where s.utf8.count == 2 && s.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F }):
                    talkers.append(s.uppercased())
                case .string(let s) where Int(s).map({ (0...253).contains($0) }) == true:
                    talkers.append(s)
                case .integer(let i) where (0...253).contains(i):
                    talkers.append(String(i))
                default:
                    throw .badValue(key: "bad_talkers", expected: expected, found: v.serialized())
                }
            }
            accurate.badTalkers = talkers
        }
    }
}
