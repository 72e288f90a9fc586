/// The S3 operations this client performs; names as in the S3 API Reference.
public enum S3Operation: String, Sendable, Hashable, CaseIterable {
    case getObject = "GetObject"
    case putObject = "PutObject"
    case headObject = "HeadObject"
    case getObjectTagging = "GetObjectTagging"
    case putObjectTagging = "PutObjectTagging"
    case deleteObject = "DeleteObject"
    case listObjectsV2 = "ListObjectsV2"
    case copyObject = "CopyObject"
    case createBucket = "CreateBucket"
    case putBucketNotificationConfiguration = "PutBucketNotificationConfiguration"
}

/// What a failed request was about: the operation, bucket and key.
public struct S3RequestContext: Sendable, Hashable, CustomStringConvertible {
    /// The operation.
    public var operation: S3Operation
    /// The bucket.
    public var bucket: String
    /// The object key, for object-level operations.
    public var key: String?

    /// Creates a context.
    public init(operation: S3Operation, bucket: String, key: String? = nil) {
        self.operation = operation
        self.bucket = bucket
        self.key = key
    }

    /// `s3://bucket/key` (or `s3://bucket` for bucket-level operations).
    public var location: String {
        if let key { return "s3://\(bucket)/\(key)" }
        return "s3://\(bucket)"
    }

    /// `GetObject s3://bucket/key`.
    public var description: String { "\(operation.rawValue) \(location)" }
}

/// A failed S3 request. Every case says which operation, bucket and key it was about.
///
/// The description reads as a sentence, e.g.
/// `S3 GetObject s3://b/k failed: 404 NoSuchKey — The specified key does not exist. (request id 4442587FB7D0A2F9)`.
public enum S3Error: Error, Sendable {
    /// S3 answered with an error (HTTP status ≥ 300, or an `<Error>` body in a 200 CopyObject reply;
    /// cloud.md §1.4). For HEAD, whose errors have no body, `code` is derived from the status
    /// (`NotFound`, `Forbidden`, …) and `message` says so.
    case service(context: S3RequestContext, status: Int, code: String, message: String, requestID: String?)
    /// The request did not complete: connection refused or reset, timeout, TLS failure.
    case transport(context: S3RequestContext, endpoint: String, underlying: any Error)
    /// The endpoint's host name does not resolve (no such name, or no name server answered). Not
    /// retried.
    case unresolvableHost(context: S3RequestContext, endpoint: String, host: String, reason: String)
    /// The operation's overall deadline (``S3Client/operationTimeout``) passed before it completed;
    /// `lastError` is what the last attempt met.
    case timedOut(context: S3RequestContext, endpoint: String, timeout: Duration, attempts: Int, lastError: String)
    /// The object body ended after a different number of bytes than its `Content-Length`.
    case bodyLengthMismatch(context: S3RequestContext, expected: Int64, received: Int64)
    /// The object is larger than the caller's `collectUpTo` limit.
    case bodyTooLarge(context: S3RequestContext, limit: Int)
    /// S3's reply could not be understood (bad XML, missing element).
    case malformedResponse(context: S3RequestContext, status: Int, reason: String)
    /// No usable credentials (see ``AWSConfigurationError``).
    case credentials(context: S3RequestContext, underlying: AWSConfigurationError)
    /// A local file to upload could not be read.
    case localFile(context: S3RequestContext, path: String, reason: String)
    /// The caller passed an argument S3 would reject (empty bucket name, too many tags, …).
    case invalidArgument(context: S3RequestContext, reason: String)

    /// The context of the failed request.
    public var context: S3RequestContext {
        switch self {
        case .service(let c, _, _, _, _), .transport(let c, _, _), .unresolvableHost(let c, _, _, _),
            .timedOut(let c, _, _, _, _), .bodyLengthMismatch(let c, _, _),
            .bodyTooLarge(let c, _), .malformedResponse(let c, _, _), .credentials(let c, _),
            .localFile(let c, _, _), .invalidArgument(let c, _):
            c
        }
    }

    /// S3's error code (`NoSuchKey`, `SignatureDoesNotMatch`, …), for ``service(context:status:code:message:requestID:)`` only.
    public var code: String? {
        if case .service(_, _, let code, _, _) = self { return code }
        return nil
    }

    /// The HTTP status, when S3 answered.
    public var status: Int? {
        switch self {
        case .service(_, let status, _, _, _), .malformedResponse(_, let status, _): status
        default: nil
        }
    }

    /// S3's request ID, when S3 answered with one.
    public var requestID: String? {
        if case .service(_, _, _, _, let id) = self { return id }
        return nil
    }

    /// Whether the object or bucket does not exist (`NoSuchKey`, `NoSuchBucket`, HEAD 404).
    public var isNotFound: Bool {
        guard case .service(_, let status, let code, _, _) = self else { return false }
        return status == 404 || code == "NoSuchKey" || code == "NoSuchBucket"
    }

    /// Whether S3 refused the caller's identity or signature (the CLI's "credentials" exit code):
    /// `AccessDenied`, `InvalidAccessKeyId`, `SignatureDoesNotMatch`, `InvalidToken`, `ExpiredToken`,
    /// any 403, and missing credentials.
    public var isAuthenticationFailure: Bool {
        switch self {
        case .credentials: return true
        case .service(_, let status, let code, _, _):
            return status == 403
                || [
                    "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
                    "TokenRefreshRequired", "AuthorizationHeaderMalformed", "RequestTimeTooSkewed",
                    "InvalidSecurity",
                ].contains(code)
        default: return false
        }
    }
}

extension S3Error: CustomStringConvertible {
    /// A sentence saying what failed, where, and what the user can do.
    public var description: String {
        let prefix = "S3 \(context) failed: "
        switch self {
        case .service(_, let status, let code, let message, let requestID):
            var text = prefix + "\(status) \(code)"
            if !message.isEmpty { text += " — " + message }
            if let requestID, !requestID.isEmpty { text += " (request id \(requestID))" }
            if let hint = Self.hint(code: code) { text += ". " + hint }
            return text
        case .transport(_, let endpoint, let underlying):
            return prefix + "could not complete the request to \(endpoint): \(underlying)"
        case .unresolvableHost(_, let endpoint, let host, let reason):
            return prefix
                + "the endpoint \(endpoint) cannot be reached: its host name '\(host)' does not resolve (\(reason)). "
                + "Check the endpoint (--endpoint-url, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), the region and the network"
        case .timedOut(_, let endpoint, let timeout, let attempts, let lastError):
            return prefix
                + "no answer from \(endpoint) within the deadline of \(Self.seconds(timeout)) "
                + "(\(attempts) attempt\(attempts == 1 ? "" : "s"); last: \(lastError)). "
                + "Check the endpoint and the network, or allow more time (--timeout)"
        case .bodyLengthMismatch(_, let expected, let received):
            return prefix + "the body ended after \(received) bytes but Content-Length announced \(expected)"
        case .bodyTooLarge(_, let limit):
            return prefix + "the object is larger than the limit of \(limit) bytes"
        case .malformedResponse(_, let status, let reason):
            return prefix + "could not understand the \(status) reply: \(reason)"
        case .credentials(_, let underlying):
            return prefix + underlying.description
        case .localFile(_, let path, let reason):
            return prefix + "cannot read \(path): \(reason)"
        case .invalidArgument(_, let reason):
            return prefix + reason
        }
    }

    /// `30 s`, `1.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }

    static func hint(code: String) -> String? {
        switch code {
        case "SignatureDoesNotMatch":
            "Check the secret access key (AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key)"
        case "InvalidAccessKeyId":
            "Check the access key ID (AWS_ACCESS_KEY_ID or the profile's aws_access_key_id) and the endpoint"
        case "InvalidToken", "ExpiredToken":
            "The session token is invalid or expired; get fresh temporary credentials"
        case "RequestTimeTooSkewed":
            "The computer's clock is more than 15 minutes off; correct it"
        case "AuthorizationHeaderMalformed":
            "Check the region (--region, AWS_REGION): it must be the bucket's region"
        case "AccessDenied", "Forbidden":
            "The credentials are not allowed to do this"
        case "NoSuchBucket":
            "Check the bucket name and the endpoint"
        default: nil
        }
    }
}

extension S3Error {
    /// A short, tag-safe class name: S3's error code (`NoSuchKey`, `AccessDenied` …), or the kind of
    /// local failure.
    public var errorClass: String {
        switch self {
        case .service(_, _, let code, _, _): code
        case .transport: "Transport"
        case .unresolvableHost: "UnresolvableHost"
        case .timedOut: "TimedOut"
        case .bodyLengthMismatch: "BodyLengthMismatch"
        case .bodyTooLarge: "BodyTooLarge"
        case .malformedResponse: "MalformedResponse"
        case .credentials: "Credentials"
        case .localFile: "LocalFile"
        case .invalidArgument: "InvalidArgument"
        }
    }
}
