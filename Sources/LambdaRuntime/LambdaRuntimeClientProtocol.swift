import NIOCore

/// One event to handle: its headers and its body.
public struct Invocation: Sendable {
    /// The parsed `Lambda-Runtime-*` headers.
    public var metadata: InvocationMetadata
    /// The event, as sent (usually JSON).
    public var event: ByteBuffer

    /// Creates an invocation.
    public init(metadata: InvocationMetadata, event: ByteBuffer) {
        self.metadata = metadata
        self.event = event
    }
}

/// The four calls of the Lambda Runtime API (`cloud.md` §5).
///
/// The run loop (``Lambda/runLoop(client:handler:logger:)``) is generic over this protocol, so it is
/// tested with an in-memory fake; ``LambdaRuntimeClient`` is the HTTP implementation.
public protocol LambdaRuntimeClientProtocol: Sendable {
    /// Waits (without a time limit) for the next event: `GET /runtime/invocation/next`.
    func nextInvocation() async throws -> Invocation
    /// Sends the handler's result: `POST /runtime/invocation/{id}/response`.
    func reportResponse(_ response: ByteBuffer, requestID: String) async throws
    /// Sends the handler's error: `POST /runtime/invocation/{id}/error`.
    func reportError(_ report: ErrorReport, requestID: String) async throws
    /// Reports that the function could not start: `POST /runtime/init/error` (before the first next).
    func reportInitializationError(_ report: ErrorReport) async throws
}
