import Logging
import WIBLSystem

/// What a handler knows about the invocation it is running: request id, deadline, ARN, trace id, and
/// a logger whose metadata carries `aws-request-id`.
public struct LambdaContext: Sendable {
    /// The parsed invocation headers.
    public var metadata: InvocationMetadata
    /// A logger for this invocation only (metadata `aws-request-id`).
    public var logger: Logger

    /// Creates a context.
    public init(metadata: InvocationMetadata, logger: Logger) {
        self.metadata = metadata
        self.logger = logger
    }

    /// The invocation's request id.
    public var requestID: String { metadata.requestID }
    /// Unix epoch milliseconds at which Lambda stops the invocation.
    public var deadlineMilliseconds: Int64 { metadata.deadlineMilliseconds }
    /// The ARN the function was invoked with.
    public var invokedFunctionARN: String { metadata.invokedFunctionARN }
    /// The X-Ray trace header, if any.
    public var traceID: String? { metadata.traceID }
    /// Mobile SDK client context, if any.
    public var clientContext: String? { metadata.clientContext }
    /// Mobile SDK Cognito identity, if any.
    public var cognitoIdentity: String? { metadata.cognitoIdentity }

    /// Time left before the deadline (`Lambda-Runtime-Deadline-Ms − now`, §5); negative once passed.
    ///
    /// - Parameter nowMilliseconds: the current Unix time in milliseconds (a parameter for tests).
    public func remainingTime(nowMilliseconds: Int64 = SystemClock.wallMilliseconds()) -> Duration {
        .milliseconds(metadata.deadlineMilliseconds - nowMilliseconds)
    }
}
