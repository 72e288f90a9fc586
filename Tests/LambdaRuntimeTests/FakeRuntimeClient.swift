import LambdaRuntime
import NIOCore
import WIBLSystem

/// An in-memory Runtime API: hands out scripted invocations and records the answers.
actor FakeRuntimeClient: LambdaRuntimeClientProtocol {
    enum Drained: Error { case noMoreInvocations }

    var pending: [Invocation]
    /// When drained: throw ``Drained`` (false) or wait until cancelled (true).
    let waitWhenDrained: Bool
    private(set) var responses: [(requestID: String, body: String)] = []
    private(set) var errors: [(requestID: String, report: ErrorReport)] = []
    private(set) var initErrors: [ErrorReport] = []
    private(set) var nextCalls = 0

    init(_ invocations: [Invocation], waitWhenDrained: Bool = false) {
        self.pending = invocations
        self.waitWhenDrained = waitWhenDrained
    }

    func nextInvocation() async throws -> Invocation {
        nextCalls += 1
        if pending.isEmpty {
            guard waitWhenDrained else { throw Drained.noMoreInvocations }
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        return pending.removeFirst()
    }

    func reportResponse(_ response: ByteBuffer, requestID: String) async throws {
        responses.append((requestID, String(buffer: response)))
    }

    func reportError(_ report: ErrorReport, requestID: String) async throws {
        errors.append((requestID, report))
    }

    func reportInitializationError(_ report: ErrorReport) async throws {
        initErrors.append(report)
    }
}

func makeInvocation(_ id: String, _ event: String, trace: String? = nil) -> Invocation {
    Invocation(
        metadata: InvocationMetadata(
            requestID: id, deadlineMilliseconds: SystemClock.wallMilliseconds() + 60_000,
            invokedFunctionARN: "arn:aws:lambda:us-east-2:123456789012:function:test", traceID: trace),
        event: ByteBuffer(string: event))
}
