/// Everything that can go wrong between the runtime and the Lambda Runtime API (`cloud.md` §5).
public enum LambdaRuntimeError: Error, Sendable, Hashable {
    /// `AWS_LAMBDA_RUNTIME_API` is not set: the process was not started by Lambda (or the RIE).
    case missingRuntimeAPIAddress
    /// `AWS_LAMBDA_RUNTIME_API` is not `host:port` with a port in 1…65535.
    case invalidRuntimeAPIAddress(String)
    /// A required `Lambda-Runtime-*` header is absent from the next-invocation reply.
    case missingHeader(String)
    /// A `Lambda-Runtime-*` header is present but its value cannot be used.
    case invalidHeader(name: String, value: String)
    /// The Runtime API answered 500: the environment is broken and the runtime must exit (§5).
    case nonRecoverable(endpoint: String, body: String)
    /// The request id is not the current invocation's (400 `InvalidRequestID`).
    case invalidRequestID(String)
    /// The invocation was already answered, or init/error came after the first next (403).
    case invalidStateTransition(endpoint: String)
    /// The response is over the payload limit (413, 6 MB for synchronous invocations).
    case payloadTooLarge(bytes: Int)
    /// Any other status from the Runtime API.
    case unexpectedStatus(endpoint: String, status: Int, body: String)
    /// The HTTP exchange itself failed (connection refused or closed, …).
    case transport(endpoint: String, underlying: String)
}

extension LambdaRuntimeError: CustomStringConvertible {
    /// A sentence saying what failed and where.
    public var description: String {
        switch self {
        case .missingRuntimeAPIAddress:
            return
                "AWS_LAMBDA_RUNTIME_API is not set: run the bootstrap inside Lambda or the Runtime Interface Emulator"
        case .invalidRuntimeAPIAddress(let value):
            return "AWS_LAMBDA_RUNTIME_API is '\(value)', expected host:port with a port between 1 and 65535"
        case .missingHeader(let name):
            return "the next-invocation reply has no \(name) header"
        case .invalidHeader(let name, let value):
            return "the next-invocation reply has an invalid \(name) header: '\(value)'"
        case .nonRecoverable(let endpoint, let body):
            return "the Runtime API answered 500 to \(endpoint) (non-recoverable, exiting): \(body)"
        case .invalidRequestID(let id):
            return "the Runtime API does not know request id '\(id)' (400 InvalidRequestID)"
        case .invalidStateTransition(let endpoint):
            return "the Runtime API refused \(endpoint) (403 InvalidStateTransition): already answered or too late"
        case .payloadTooLarge(let bytes):
            return "the response of \(bytes) bytes is over the Lambda payload limit (413)"
        case .unexpectedStatus(let endpoint, let status, let body):
            return "the Runtime API answered HTTP \(status) to \(endpoint): \(body)"
        case .transport(let endpoint, let underlying):
            return "cannot reach the Runtime API for \(endpoint): \(underlying)"
        }
    }
}
