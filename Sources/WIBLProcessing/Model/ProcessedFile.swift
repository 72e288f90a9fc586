import WIBLFormat

/// One `key=value` pair of an algorithm's parameter string (`processing.md` §12).
public struct AlgorithmParameter: Sendable, Hashable {
    /// The text before `=`.
    public var key: String
    /// The text after `=`.
    public var value: String

    /// Creates a parameter.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// One lineage record, made when an algorithm ran (`processing.md` §12).
public struct LineageRecord: Sendable, Hashable {
    /// Algorithm name, e.g. `deduplicate`.
    public var name: String
    /// The parameter string split into pairs, in order, later duplicates already removed
    /// (empty for an empty string; written as `{}` — deviation P9/G5).
    public var parameters: [AlgorithmParameter]
    /// Algorithm version, `1.0.0` for both algorithms.
    public var version: String
    /// The algorithm's comment (`processing.md` §11).
    public var comment: String
    /// When the record was made: microseconds since 1970-01-01T00:00:00Z, UTC.
    public var timestampMicroseconds: Int64

    /// Creates a record.
    public init(
        name: String, parameters: [AlgorithmParameter], version: String, comment: String,
        timestampMicroseconds: Int64
    ) {
        self.name = name
        self.parameters = parameters
        self.version = version
        self.comment = comment
        self.timestampMicroseconds = timestampMicroseconds
    }
}

/// Interpolated depth observations, one element per sounding, in file order
/// (`processing.md` §10). All four arrays have the same count.
public struct DepthSeries: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z (interpolated).
    public var t: [Double] = []
    /// Degrees, positive north (interpolated).
    public var lat: [Double] = []
    /// Degrees, positive east (interpolated).
    public var lon: [Double] = []
    /// Metres below the transducer, as observed.
    public var z: [Double] = []

    /// Creates an empty series.
    public init() {}

    /// Number of soundings.
    public var count: Int { z.count }
}

/// An auxiliary series interpolated like the depths (`processing.md` §10): heading, water
/// temperature or wind. `values` holds one array per quantity (one for heading and temperature;
/// direction and speed for wind).
public struct AuxiliarySeries: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z (interpolated).
    public var t: [Double] = []
    /// Degrees, positive north (interpolated).
    public var lat: [Double] = []
    /// Degrees, positive east (interpolated).
    public var lon: [Double] = []
    /// The observed values, one array per quantity, each with ``count`` elements: heading (degrees),
    /// water temperature (°C, as sent), or wind direction (degrees) then speed (m/s).
    public var values: [[Double]] = []

    /// Creates an empty series.
    public init() {}

    /// Number of observations.
    public var count: Int { t.count }
}

/// Observation and fault counts for one packet type or sentence name (`processing.md` §14).
public struct NameStatistics: Sendable, Hashable {
    /// Packet type name, or sentence name (bytes 3…5 of a SerialString).
    public var name: String
    /// Number of times observed.
    public var observed: Int = 0
    /// Fault counts by kind.
    public var faults: [FaultKind: Int] = [:]

    /// Creates empty counts for `name`.
    public init(name: String) { self.name = name }
}

/// The result of processing one file (`processing.md` §10): what the GeoJSON writer needs, plus
/// the auxiliary series, the statistics and the warnings.
public struct ProcessedFile: Sendable {
    /// Metadata packet, unique-id string (after rule D7), or `nil` without a Metadata packet.
    public var loggerName: String?
    /// Metadata packet, ship-name string (after rule D7), or `nil`.
    public var platformName: String?
    /// `"<major>.<minor>/<n2k M.m.p>/<n0183 M.m.p>"` (`processing.md` §7).
    public var loggerVersion: String
    /// The last JSONMetadata packet's raw text, if any; parsed by the GeoJSON stage.
    public var jsonMetadata: TextPayload?
    /// The file's algorithm requests after de-duplication (`processing.md` §3 1a).
    public var algorithms: [AlgorithmRequest]
    /// The soundings that become GeoJSON features, after algorithms and after dropping
    /// non-finite values (deviation P4).
    public var depth: DepthSeries
    /// Lineage records in run order (`processing.md` §12).
    public var lineage: [LineageRecord]
    /// Interpolated HDT headings (degrees).
    public var heading = AuxiliarySeries()
    /// Interpolated MTW water temperatures.
    public var waterTemperature = AuxiliarySeries()
    /// Interpolated MWD wind: direction, speed.
    public var wind = AuxiliarySeries()
    /// The time source that was used (`SystemTime`, `GNSS`, `ZDA`, `RMC`).
    public var timeSource: String = ""
    /// Stage-2 counts per packet type / sentence name.
    public var statistics: [NameStatistics] = []
    /// Things worth telling the user.
    public var warnings: [ProcessingWarning] = []
    /// Depth observations that accurate mode left out, by reason (empty in reference mode).
    public var leftOut = SoundingsLeftOut()

    /// Creates a processed file.
    public init(
        loggerName: String?, platformName: String?, loggerVersion: String, jsonMetadata: TextPayload?,
        algorithms: [AlgorithmRequest], depth: DepthSeries, lineage: [LineageRecord]
    ) {
        self.loggerName = loggerName
        self.platformName = platformName
        self.loggerVersion = loggerVersion
        self.jsonMetadata = jsonMetadata
        self.algorithms = algorithms
        self.depth = depth
        self.lineage = lineage
    }
}
