/// Why a document could not be written (`geojson-b12.md` §8).
public enum GeoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// G1: the file's JSON metadata is unusable.
    case badMetadata(reason: String)
    /// G2: no logger id, or a `uniqueVesselID` that is not a string.
    case missingLoggerID
    /// G3: the provider id is empty.
    case emptyProviderID
    /// G7: a sounding's time is outside years 0001–9999.
    case timeOutOfRange(index: Int, seconds: Double)
    /// The sink failed.
    case sinkFailed(reason: String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .badMetadata(let reason): "the file's JSON metadata cannot be used: \(reason)."
        case .missingLoggerID:
            "the file has no logger id (no Metadata packet and no uniqueVesselID string in its JSON metadata)."
        case .emptyProviderID: "the provider id is empty."
        case .timeOutOfRange(let index, let seconds):
            "sounding \(index) has time \(seconds) s, outside the years 0001–9999."
        case .sinkFailed(let reason): "the GeoJSON could not be written: \(reason)"
        }
    }

    /// A short class name for summaries and tags.
    public var errorClass: String {
        switch self {
        case .badMetadata: "BadMetadata"
        case .missingLoggerID: "MissingLoggerID"
        case .emptyProviderID: "EmptyProviderID"
        case .timeOutOfRange: "TimeOutOfRange"
        case .sinkFailed: "WriteFailed"
        }
    }
}
