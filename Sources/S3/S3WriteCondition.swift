/// The condition of a conditional PutObject (cloud.md §8.2).
public enum S3WriteCondition: Sendable, Hashable {
    /// `If-None-Match: *`: create only; 412 when the key exists. Portable between AWS, moto and RGW.
    case ifNoneMatch
    /// `If-Match: <ETag>`: compare-and-swap; 412 when the ETag differs, 404 when there is no object.
    /// The value is sent as given (RGW 16.2 accepts only the unquoted form).
    case ifMatch(eTag: String)

    /// The request header.
    var header: HTTPHeaderField {
        switch self {
        case .ifNoneMatch: HTTPHeaderField("If-None-Match", "*")
        case .ifMatch(let eTag): HTTPHeaderField("If-Match", eTag)
        }
    }
}
