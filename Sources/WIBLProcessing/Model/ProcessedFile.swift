import WIBLFormat

/// One `key=value` pair of an algorithm's parameter string (`processing.md` §12).
public struct AlgorithmParameter: Sendable, Hashable {
    public var key: String
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

/// The result of processing one file (`processing.md` §10): what the GeoJSON writer needs, plus
/// the auxiliary series and the statistics.
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
