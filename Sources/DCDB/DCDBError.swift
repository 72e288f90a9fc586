/// Why a DCDB submission failed (`cloud.md` §6). Response bodies are kept with the token redacted.
public enum DCDBError: Error, Sendable, Hashable {
    /// DCDB answered 2xx with JSON, but `success` is not `true`: the submission was refused.
    case refused(status: Int, body: String)
    /// DCDB answered 401 or 403: the provider token is wrong or expired.
    case unauthorized(status: Int, body: String)
    /// DCDB answered 2xx but the body is not a JSON object.
    case notJSON(status: Int, body: String)
    /// DCDB answered another status: a 4xx (refused), or a 5xx (DCDB may have stored the file first).
    case httpStatus(status: Int, body: String, attempts: Int)
    /// DCDB answered a redirect (3xx). It is never followed: the token goes nowhere else.
    case redirect(status: Int, location: String?)
    /// Nothing was sent: DNS failure, connection refused, TLS handshake failure (on every attempt).
    case transport(underlying: String, attempts: Int)
    /// The request was (at least partly) sent, then the connection failed without an answer.
    case noAnswer(underlying: String)
    /// No answer within the time limit (not retried: DCDB may have taken the file).
    case timedOut(seconds: Int64)
    /// The upload point is not an `http(s)://` URL.
    case invalidUploadPoint(String)
    /// The upload point is `http://` on a host that is not the loopback: the token would travel in clear text.
    case insecureUploadPoint(String)
    /// The provider id is empty or contains characters that cannot start a unique id.
    case invalidProviderID(String)
    /// No token where one was expected.
    case missingAuthToken(source: String)
    /// The token file cannot be read.
    case unreadableAuthFile(path: String, reason: String)

    /// What is known about the file after this error (`cloud.md` §8.5).
    public enum Outcome: String, Sendable, Hashable {
        /// Nothing reached DCDB: safe to try again.
        case notSent
        /// DCDB answered and did not take the file (4xx, `success` not true, a redirect).
        case refused
        /// DCDB may or may not have the file: never posted again automatically.
        case unknown
        /// A local setting is wrong; nothing was sent.
        case configuration
    }

    /// What is known about the file after this error.
    public var outcome: Outcome {
        switch self {
        case .refused, .unauthorized, .redirect: .refused
        case .httpStatus(let status, _, _): (400..<500).contains(status) ? .refused : .unknown
        case .notJSON, .noAnswer, .timedOut: .unknown
        case .transport: .notSent
        case .invalidUploadPoint, .insecureUploadPoint, .invalidProviderID, .missingAuthToken, .unreadableAuthFile:
            .configuration
        }
    }

    /// The HTTP status DCDB answered, if it answered.
    public var status: Int? {
        switch self {
        case .refused(let status, _), .unauthorized(let status, _), .notJSON(let status, _),
            .httpStatus(let status, _, _), .redirect(let status, _):
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

    /// True when DCDB answered and did not accept the file (as opposed to not answering, an unclear
    /// answer, or a local configuration problem).
    public var isRefusal: Bool { outcome == .refused }
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
        case .redirect(let status, let location):
            return
                "DCDB answered a redirect (HTTP \(status)\(location.map { " to " + $0 } ?? "")); it is not followed, "
                + "so the token is sent nowhere else: check UPLOAD_POINT"
        case .transport(let underlying, let attempts):
            return "cannot reach DCDB, nothing was sent (\(attempts) attempt\(attempts == 1 ? "" : "s")): \(underlying)"
        case .noAnswer(let underlying):
            return "the connection to DCDB failed after the upload was sent (DCDB may have the file; not retried): "
                + underlying
        case .timedOut(let seconds):
            return "DCDB did not answer within \(seconds) s (not retried: the upload may have been received)"
        case .invalidUploadPoint(let url):
            return "the upload point '\(url)' is not an http:// or https:// URL"
        case .insecureUploadPoint(let url):
            return "the upload point '\(url)' must be https:// (http:// is allowed only for a loopback address): "
                + "the token must not travel in clear text"
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
        case .redirect: "DCDBRedirect"
        case .transport: "DCDBTransport"
        case .noAnswer: "DCDBNoAnswer"
        case .timedOut: "DCDBTimedOut"
        case .invalidUploadPoint: "DCDBInvalidUploadPoint"
        case .insecureUploadPoint: "DCDBInsecureUploadPoint"
        case .invalidProviderID: "DCDBInvalidProviderID"
        case .missingAuthToken: "DCDBMissingAuthToken"
        case .unreadableAuthFile: "DCDBUnreadableAuthFile"
        }
    }
}
