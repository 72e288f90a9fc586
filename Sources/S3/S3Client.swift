import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// An S3 client: signs each request with SigV4, sends it path-style to one endpoint, retries
/// transient failures, and turns error replies into ``S3Error``.
///
/// The client holds no connections of its own: it uses the `HTTPClient` it is given. Give it one made
/// with ``httpClientConfiguration(connectTimeout:)`` (a short connect timeout, and a host name that
/// does not resolve fails at once instead of being retried until the deadline). Every operation has
/// an overall deadline (``operationTimeout``) that all its attempts and the waits between them stay
/// within.
///
/// ```swift
/// let s3 = S3Client(httpClient: .shared, credentialsProvider: chain, region: "us-east-2", logger: logger)
/// let object = try await s3.getObject(bucket: "wibl-incoming", key: "2024/log 1.wibl", collectUpTo: 64 << 20)
/// ```
public struct S3Client: Sendable {
    /// The HTTP client requests go through.
    public let httpClient: HTTPClient
    /// Where credentials come from (asked before each request).
    public let credentialsProvider: any AWSCredentialsProvider
    /// The region requests are signed for (the bucket's region).
    public let region: String
    /// Where requests go.
    public let endpoint: S3Endpoint
    /// The logger for request traces (never given secrets).
    public let logger: Logger
    /// The timeout of each attempt (connect, send, and receive the whole reply); never beyond the
    /// operation's deadline.
    public var requestTimeout: TimeAmount
    /// The overall deadline of one operation, from its start: every attempt and every wait between
    /// attempts end within it. When it passes the operation fails with
    /// ``S3Error/timedOut(context:endpoint:timeout:attempts:lastError:)``.
    public var operationTimeout: Duration
    /// When to retry.
    public var retryPolicy: RetryPolicy
    /// Whether a file upload over HTTPS may skip the body hash and send `UNSIGNED-PAYLOAD`
    /// (saves one read of the file; TLS protects the body). Over plain HTTP the body is always hashed.
    public var allowsUnsignedPayloadOverHTTPS: Bool
    /// The clock used for signing (injectable for tests).
    public var clock: @Sendable () -> AWSTimestamp

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - httpClient: The HTTP client to send requests with.
    ///   - credentialsProvider: Where credentials come from.
    ///   - region: The bucket's region, e.g. `us-east-2`.
    ///   - endpoint: The endpoint; `nil` means `https://s3.<region>.amazonaws.com`.
    ///   - logger: The logger for request traces.
    ///   - requestTimeout: The timeout of each attempt (default 120 s).
    ///   - operationTimeout: The overall deadline of one operation, retries included (default 120 s).
    ///   - retryPolicy: When to retry (default ``RetryPolicy/standard``).
    public init(
        httpClient: HTTPClient, credentialsProvider: any AWSCredentialsProvider, region: String,
        endpoint: S3Endpoint? = nil, logger: Logger, requestTimeout: TimeAmount = .seconds(120),
        operationTimeout: Duration = .seconds(120), retryPolicy: RetryPolicy = .standard
    ) {
        self.httpClient = httpClient
        self.credentialsProvider = credentialsProvider
        self.region = region
        self.endpoint = endpoint ?? .aws(region: region)
        self.logger = logger
        self.requestTimeout = requestTimeout
        self.operationTimeout = operationTimeout
        self.retryPolicy = retryPolicy
        self.allowsUnsignedPayloadOverHTTPS = true
        self.clock = { AWSTimestamp.now() }
    }
}

// MARK: - Requests

/// The body of a request, re-creatable for each attempt.
enum RequestBody: Sendable {
    case empty
    case bytes(ByteBuffer)
    /// A local file of `length` bytes, read again for each attempt.
    case file(path: String, length: Int64)
}

/// One S3 request before signing.
struct S3Request: Sendable {
    var context: S3RequestContext
    var method: HTTPMethod
    var query: [QueryParameter] = []
    var headers: [HTTPHeaderField] = []
    var body: RequestBody = .empty
    var payload: PayloadHash = .emptyBody
}

extension S3Client {
    /// The request path: base path, `/bucket`, and `/key` encoded with SigV4's `UriEncode` keeping
    /// `/` (cloud.md §1.2: space → `%20`, `%` → `%25`, no normalisation, `//` kept).
    public static func requestPath(basePath: String = "", bucket: String, key: String?) -> String {
        var path = basePath + "/" + URIEncoding.encode(bucket)
        if let key { path += "/" + URIEncoding.encode(key, keepSlash: true) }
        return path
    }

    /// The encoded query string as sent (same encoding as the canonical query).
    static func queryString(_ query: [QueryParameter]) -> String {
        query.map { parameter in
            let name = URIEncoding.encode(parameter.name)
            // A value-less sub-resource is sent bare (`?tagging`); it is signed as `tagging=`.
            return parameter.value.isEmpty ? name : name + "=" + URIEncoding.encode(parameter.value)
        }.joined(separator: "&")
    }

    /// Classifies an error thrown by `HTTPClient.execute` for the retry decision.
    static func classify(_ error: any Error) -> AttemptOutcome.TransportFailure {
        if error is CancellationError { return .cancelled }
        if unresolvedHost(in: error) != nil { return .nameResolution }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                return .timeout
            case .remoteConnectionClosed: return .connection
            case .cancelled: return .cancelled
            default: return .other
            }
        }
        // NIO's IOError / NIOConnectionError / TLS errors: the connection failed.
        return .connection
    }

    /// The host name whose lookup failed, when `error` is a name-resolution failure (the name does
    /// not exist, or no name server answered); `nil` for every other error.
    static func unresolvedHost(in error: any Error) -> String? {
        if let error = error as? SocketAddressError.UnknownHost { return error.host }
        if let error = error as? NIOConnectionError, error.connectionErrors.isEmpty,
            error.dnsAError != nil || error.dnsAAAAError != nil
        {
            return error.host
        }
        return nil
    }

    /// The `HTTPClient` configuration this client is meant to run on: connections are given
    /// `connectTimeout` to open, and a failed connection attempt fails the request at once (the
    /// client's own retry policy decides what to do next, within the operation's deadline) instead
    /// of being retried inside the HTTP client until the request's deadline — so a host name that
    /// does not resolve is reported immediately.
    ///
    /// - Parameter connectTimeout: The time a TCP (and TLS) connection may take to open.
    public static func httpClientConfiguration(connectTimeout: TimeAmount = .seconds(5)) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: connectTimeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// The deadline of the operation in progress, set by operations made of several requests so that
    /// all of them share one deadline.
    @TaskLocal static var operationDeadline: NIODeadline?

    /// Runs `body` with one deadline, ``operationTimeout`` from now, for every request it sends
    /// (an enclosing operation's deadline is kept).
    func withOperationDeadline<T>(_ body: () async throws -> T) async rethrows -> T {
        if Self.operationDeadline != nil { return try await body() }
        return try await Self.$operationDeadline.withValue(.now() + TimeAmount(operationTimeout)) {
            try await body()
        }
    }

    /// Sends a request with retries and returns the successful (status < 300) response with its body
    /// unread. Error replies are read (up to 64 KiB), parsed and thrown as ``S3Error/service``.
    /// Every attempt, and every wait before a retry, ends by the operation's deadline.
    func send(_ request: S3Request) async throws -> HTTPClientResponse {
        var logger = self.logger
        logger[metadataKey: "s3-operation"] = "\(request.context.operation.rawValue)"
        logger[metadataKey: "bucket"] = "\(request.context.bucket)"
        if let key = request.context.key { logger[metadataKey: "key"] = "\(key)" }
        let deadline = Self.operationDeadline ?? .now() + TimeAmount(operationTimeout)

        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let outcome: AttemptOutcome
            let failure: S3Error
            do {
                let response = try await sendOnce(request, logger: logger, attempt: attempt, deadline: deadline)
                let status = Int(response.status.code)
                if status < 300 { return response }
                failure = await serviceError(request.context, method: request.method, response: response)
                outcome = .httpError(status: status, code: failure.code)
            } catch let error as S3Error {
                // Credentials and local-file errors are not transient.
                throw error
            } catch {
                let kind = Self.classify(error)
                if kind == .cancelled { throw error }
                if let host = Self.unresolvedHost(in: error) {
                    throw S3Error.unresolvableHost(
                        context: request.context, endpoint: endpoint.description, host: host, reason: "\(error)")
                }
                if kind == .timeout, NIODeadline.now() >= deadline {
                    throw S3Error.timedOut(
                        context: request.context, endpoint: endpoint.description, timeout: operationTimeout,
                        attempts: attempt, lastError: "\(error)")
                }
                failure = .transport(context: request.context, endpoint: endpoint.description, underlying: error)
                outcome = .transportFailure(kind)
            }
            guard retryPolicy.shouldRetry(after: outcome, attempt: attempt, isIdempotent: true) else {
                logger.debug("S3 request failed", metadata: ["attempt": "\(attempt)", "error": "\(failure)"])
                throw failure
            }
            let wait = retryPolicy.delay(beforeRetry: attempt, random: Double.random(in: 0...1))
            guard NIODeadline.now() + TimeAmount(wait) < deadline else {
                // No time left for another attempt: report the deadline, and what the last attempt met.
                throw S3Error.timedOut(
                    context: request.context, endpoint: endpoint.description, timeout: operationTimeout,
                    attempts: attempt, lastError: "\(failure)")
            }
            logger.debug(
                "S3 request failed, retrying",
                metadata: ["attempt": "\(attempt)", "delay": "\(wait)", "error": "\(failure)"])
            try await Task.sleep(for: wait)
        }
    }

    /// One signed attempt.
    func sendOnce(_ request: S3Request, logger: Logger, attempt: Int, deadline: NIODeadline) async throws
        -> HTTPClientResponse
    {
        let credentials: AWSCredentials
        do {
            credentials = try await credentialsProvider.credentials()
        } catch let error as AWSConfigurationError {
            throw S3Error.credentials(context: request.context, underlying: error)
        }
        let path = Self.requestPath(
            basePath: endpoint.basePath, bucket: request.context.bucket, key: request.context.key)
        var headers = request.headers
        switch request.body {
        case .empty: break
        case .bytes(let buffer): headers.append(HTTPHeaderField("Content-Length", "\(buffer.readableBytes)"))
        case .file(_, let length): headers.append(HTTPHeaderField("Content-Length", "\(length)"))
        }
        let signed = SigV4.sign(
            request: SignableRequest(
                method: request.method.rawValue, host: endpoint.hostHeader, path: path, query: request.query,
                headers: headers),
            payload: request.payload, credentials: credentials, region: region, date: clock())

        let query = Self.queryString(request.query)
        var httpRequest = HTTPClientRequest(
            url: "\(endpoint.scheme)://\(endpoint.hostHeader)\(path)" + (query.isEmpty ? "" : "?" + query))
        httpRequest.method = request.method
        for header in signed.headers where header.name.lowercased() != "content-length" {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        switch request.body {
        case .empty: break
        case .bytes(let buffer): httpRequest.body = .bytes(buffer)
        case .file(let path, let length):
            httpRequest.body = .stream(FileChunks(path: path, context: request.context), length: .known(length))
        }
        logger.trace(
            "S3 request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(path)", "query": "\(query)", "attempt": "\(attempt)",
            ])
        let response = try await httpClient.execute(
            httpRequest, deadline: min(deadline, .now() + requestTimeout), logger: logger)
        logger.trace(
            "S3 response",
            metadata: [
                "status": "\(response.status.code)",
                "request-id": "\(response.headers.first(name: "x-amz-request-id") ?? "")",
            ])
        return response
    }

    /// Reads an error reply and builds the ``S3Error``.
    func serviceError(_ context: S3RequestContext, method: HTTPMethod, response: HTTPClientResponse) async -> S3Error {
        let status = Int(response.status.code)
        let headerRequestID = response.headers.first(name: "x-amz-request-id")
        var body = ByteBuffer()
        if method != .HEAD {
            // An unreadable error body still leaves the status to report.
            body = (try? await response.body.collect(upTo: 64 * 1024)) ?? ByteBuffer()
        }
        if let parsed = Self.parseErrorBody(body) {
            return .service(
                context: context, status: status, code: parsed.code, message: parsed.message,
                requestID: parsed.requestID ?? headerRequestID)
        }
        // HEAD errors (and some proxies) have no body: decide on the status alone (cloud.md §1.4).
        let (code, message) = Self.describeStatus(status, method: method)
        return .service(context: context, status: status, code: code, message: message, requestID: headerRequestID)
    }

    /// Parses `<Error><Code/><Message/><RequestId/></Error>`; `nil` if the body is not one.
    static func parseErrorBody(_ body: ByteBuffer) -> (code: String, message: String, requestID: String?)? {
        guard body.readableBytes > 0,
            let root = try? S3XML.parse(body.readableBytesView), root.name == "Error",
            let code = root.text(of: "Code"), !code.isEmpty
        else { return nil }
        return (code, root.text(of: "Message") ?? "", root.text(of: "RequestId"))
    }

    /// A code and message for an error reply without a body.
    static func describeStatus(_ status: Int, method: HTTPMethod) -> (String, String) {
        let note = method == .HEAD ? " (HEAD replies carry no error details)" : " (the reply had no error body)"
        switch status {
        case 301: return ("PermanentRedirect", "the bucket is in another region or needs another endpoint" + note)
        case 400: return ("BadRequest", "the request was rejected" + note)
        case 403: return ("Forbidden", "access denied" + note)
        case 404: return ("NotFound", "the object or bucket does not exist" + note)
        case 412: return ("PreconditionFailed", "a precondition failed" + note)
        case 500: return ("InternalError", "S3 had an internal error" + note)
        case 503: return ("ServiceUnavailable", "S3 is unavailable or throttling" + note)
        default: return ("HTTP\(status)", "unexpected HTTP status \(status)" + note)
        }
    }
}
