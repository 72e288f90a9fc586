import JSONValue

/// Why an event, or one record of it, could not be understood (`cloud.md` §4).
public enum EventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The event is not JSON.
    case notJSON(JSONParseError)
    /// The event is JSON but none of the known shapes (S3 notification, S3-in-SNS, WIBL SNS message).
    case unrecognisedShape(String)
    /// One record is malformed; the other records are still handled.
    case malformedRecord(index: Int, reason: String)

    /// A sentence for logs and summaries.
    public var description: String {
        switch self {
        case .notJSON(let error): "the event is not JSON: \(error)"
        case .unrecognisedShape(let what): "the event has no shape this handler knows: \(what)"
        case .malformedRecord(let index, let reason): "event record \(index) is malformed: \(reason)"
        }
    }
}

extension EventError: ClassifiedError {
    /// `NotJSON`, `UnrecognisedShape` or `MalformedRecord`.
    public var errorClass: String {
        switch self {
        case .notJSON: "NotJSON"
        case .unrecognisedShape: "UnrecognisedShape"
        case .malformedRecord: "MalformedRecord"
        }
    }
}
