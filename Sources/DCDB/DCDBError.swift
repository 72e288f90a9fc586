/// Why a DCDB submission failed (`cloud.md` §6). Response bodies are kept with the token redacted.
public enum DCDBError: Error, Sendable, Hashable {
    /// DCDB answered 2xx with JSON, but `success` is not `true`: the submission was refused.
    case refused(status: Int, body: String)
    /// DCDB answered 401 or 403: the provider token is wrong or expired.
    case unauthorized(status: Int, body: String)
    /// DCDB answered 2xx but the body is not a JSON object.
    case notJSON(status: Int, body: String)
    /// DCDB answered another status (4xx, or 5xx on every attempt).
    case httpStatus(status: Int, body: String, attempts: Int)
    /// No answer: the connection failed on every attempt.
    case transport(underlying: String, attempts: Int)
    /// No answer within the time limit (not retried: DCDB may have taken the file).
    case timedOut(seconds: Int64)
    /// The upload point is not an `http(s)://` URL.
    case invalidUploadPoint(String)
    /// The provider id is empty or contains characters that cannot start a unique id.
    case invalidProviderID(String)
    /// No token where one was expected.
    case missingAuthToken(source: String)
    /// The token file cannot be read.
    case unreadableAuthFile(path: String, reason: String)

    /// The HTTP status DCDB answered, if it answered.
    public var status: Int? {
        switch self {
        case .refused(let status, _), .unauthorized(let status, _), .notJSON(let status, _),
            .httpStatus(let status, _, _):
            return status
        default: return nil
        }
    }

    /// The (redacted) body DCDB answered, if it answered.
    public var responseBody: String? {
        switch self {
        case .refused(_, let body), .unauthorized(_, let body), .notJSON(_, let body), .httpStatus(_, let body, _):
            return body
        default: return nil
        }
    }

    /// True when DCDB answered and did not accept the file (as opposed to not answering, or a local
    /// configuration problem).
    public var isRefusal: Bool { status != nil }
}

extension DCDBError: CustomStringConvertible {
    /// A sentence saying what DCDB answered or what failed.
    public var description: String {
        switch self {
        case .refused(let status, let body):
            return "DCDB refused the submission (HTTP \(status), success is not true): \(body)"
        case .unauthorized(let status, let body):
            return "DCDB rejected the provider token (HTTP \(status)); check PROVIDER_AUTH or the auth file: \(body)"
        case .notJSON(let status, let body):
            return "DCDB answered HTTP \(status) with a body that is not JSON: \(body)"
        case .httpStatus(let status, let body, let attempts):
            return "DCDB answered HTTP \(status) (after \(attempts) attempt\(attempts == 1 ? "" : "s")): \(body)"
        case .transport(let underlying, let attempts):
            return "cannot reach DCDB (\(attempts) attempt\(attempts == 1 ? "" : "s")): \(underlying)"
        case .timedOut(let seconds):
            return "DCDB did not answer within \(seconds) s (not retried: the upload may have been received)"
        case .invalidUploadPoint(let url):
            return "the upload point '\(url)' is not an http:// or https:// URL"
        case .invalidProviderID(let id):
            return "the provider id '\(id)' is not usable: expected letters and digits such as UNHJHC"
        case .missingAuthToken(let source):
            return "no DCDB provider token in \(source)"
        case .unreadableAuthFile(let path, let reason):
            return "cannot read the DCDB token file \(path): \(reason)"
        }
    }
}

extension DCDBError {
    /// A short, tag-safe class name: `DCDBRefused`, `DCDBUnauthorized` …
    public var errorClass: String {
        switch self {
        case .refused: "DCDBRefused"
        case .unauthorized: "DCDBUnauthorized"
        case .notJSON: "DCDBNotJSON"
        case .httpStatus: "DCDBHttpStatus"
        case .transport: "DCDBTransport"
        case .timedOut: "DCDBTimedOut"
        case .invalidUploadPoint: "DCDBInvalidUploadPoint"
        case .invalidProviderID: "DCDBInvalidProviderID"
        case .missingAuthToken: "DCDBMissingAuthToken"
        case .unreadableAuthFile: "DCDBUnreadableAuthFile"
        }
    }
}
