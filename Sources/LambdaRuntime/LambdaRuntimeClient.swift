import AsyncHTTPClient
import Logging
import NIOCore

/// The Runtime API over HTTP (`cloud.md` §5), on an injected `HTTPClient`.
///
/// `GET next` has no time limit (Lambda freezes the process between invocations); the other calls
/// have ``requestTimeout``. Status codes map to ``LambdaRuntimeError``: 400 → `invalidRequestID`,
/// 403 → `invalidStateTransition`, 413 → `payloadTooLarge`, 500 → `nonRecoverable`.
public struct LambdaRuntimeClient: LambdaRuntimeClientProtocol {
    /// Where the Runtime API listens.
    public var address: RuntimeAPIAddress
    /// The HTTP client (give it no read timeout; see ``makeHTTPClientConfiguration()``).
    public var httpClient: HTTPClient
    /// Logger for the client's own trace messages.
    public var logger: Logger
    /// Time limit of the response/error/init-error posts.
    public var requestTimeout: TimeAmount
    /// The largest event accepted from `next` (the asynchronous limit is 256 KB, synchronous 6 MB).
    public var maximumEventBytes: Int

    /// Creates a client.
    public init(
        address: RuntimeAPIAddress, httpClient: HTTPClient, logger: Logger,
        requestTimeout: TimeAmount = .seconds(30), maximumEventBytes: Int = RuntimeAPI.maximumPayloadBytes + 1024 * 1024
    ) {
        self.address = address
        self.httpClient = httpClient
        self.logger = logger
        self.requestTimeout = requestTimeout
        self.maximumEventBytes = maximumEventBytes
    }

    /// An `HTTPClient` configuration suited to the Runtime API: short connect timeout, no read timeout.
    public static func makeHTTPClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        return configuration
    }

    /// Opens an `HTTPClient` for `address`, runs `body` with a client, and shuts it down on every path.
    public static func withRuntimeClient<Result: Sendable>(
        address: RuntimeAPIAddress, logger: Logger,
        _ body: (LambdaRuntimeClient) async throws -> Result
    ) async throws -> Result {
        try await HTTPClient.withHTTPClient(configuration: makeHTTPClientConfiguration()) { httpClient in
            try await body(LambdaRuntimeClient(address: address, httpClient: httpClient, logger: logger))
        }
    }

    /// `GET /2018-06-01/runtime/invocation/next`, waiting as long as it takes.
    ///
    /// - Throws: ``LambdaRuntimeError`` for a status other than 200, missing or invalid headers, or a
    ///   transport failure (a cancelled task surfaces as `transport` with `Task.isCancelled` set).
    public func nextInvocation() async throws -> Invocation {
        let endpoint = RuntimeAPI.nextPath
        let request = HTTPClientRequest(url: address.baseURL + endpoint)
        logger.trace("waiting for the next invocation")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(request, deadline: .distantFuture, logger: logger)
            body = try await response.body.collect(upTo: maximumEventBytes)
        } catch {
            throw LambdaRuntimeError.transport(endpoint: endpoint, underlying: "\(error)")
        }
        guard response.status.code == 200 else {
            throw Self.error(status: Int(response.status.code), body: body, endpoint: endpoint, requestID: "")
        }
        let metadata = try InvocationMetadata(headers: response.headers)
        return Invocation(metadata: metadata, event: body)
    }

    /// `POST /2018-06-01/runtime/invocation/{id}/response` with `response` as the body.
    public func reportResponse(_ response: ByteBuffer, requestID: String) async throws {
        try await post(RuntimeAPI.responsePath(requestID), body: response, errorType: nil, requestID: requestID)
    }

    /// `POST /2018-06-01/runtime/invocation/{id}/error` with the report as JSON and
    /// `Lambda-Runtime-Function-Error-Type`.
    public func reportError(_ report: ErrorReport, requestID: String) async throws {
        try await post(
            RuntimeAPI.errorPath(requestID), body: ByteBuffer(bytes: report.jsonBytes()), errorType: report.errorType,
            requestID: requestID)
    }

    /// `POST /2018-06-01/runtime/init/error`.
    public func reportInitializationError(_ report: ErrorReport) async throws {
        try await post(
            RuntimeAPI.initErrorPath, body: ByteBuffer(bytes: report.jsonBytes()), errorType: report.errorType,
            requestID: "")
    }

    private func post(_ endpoint: String, body: ByteBuffer, errorType: String?, requestID: String) async throws {
        var request = HTTPClientRequest(url: address.baseURL + endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let errorType { request.headers.add(name: AmazonHeaders.functionErrorType, value: errorType) }
        request.body = .bytes(body)
        logger.trace(
            "posting to the Runtime API", metadata: ["endpoint": "\(endpoint)", "bytes": "\(body.readableBytes)"])
        let response: HTTPClientResponse
        let answer: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: requestTimeout, logger: logger)
            answer = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw LambdaRuntimeError.transport(endpoint: endpoint, underlying: "\(error)")
        }
        let status = Int(response.status.code)
        guard status == 202 || status == 200 else {
            var error = Self.error(status: status, body: answer, endpoint: endpoint, requestID: requestID)
            if case .payloadTooLarge = error { error = .payloadTooLarge(bytes: body.readableBytes) }
            throw error
        }
    }

    static func error(status: Int, body: ByteBuffer, endpoint: String, requestID: String) -> LambdaRuntimeError {
        let text = String(buffer: body)
        switch status {
        case 400: return .invalidRequestID(requestID)
        case 403: return .invalidStateTransition(endpoint: endpoint)
        case 413: return .payloadTooLarge(bytes: 0)
        case 500...:
            return status == 500
                ? .nonRecoverable(endpoint: endpoint, body: text)
                : .unexpectedStatus(endpoint: endpoint, status: status, body: text)
        default: return .unexpectedStatus(endpoint: endpoint, status: status, body: text)
        }
    }
}
