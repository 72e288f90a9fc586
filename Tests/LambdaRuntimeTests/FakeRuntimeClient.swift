import LambdaRuntime
import NIOCore
import Testing
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
    private var responseWaiters: [CheckedContinuation<Void, Never>] = []
    private var parked: [AsyncStream<Void>.Continuation] = []

    /// Returns once at least one response has been reported.
    func waitForResponse() async {
        guard responses.isEmpty else { return }
        await withCheckedContinuation { responseWaiters.append($0) }
    }

    init(_ invocations: [Invocation], waitWhenDrained: Bool = false) {
        self.pending = invocations
        self.waitWhenDrained = waitWhenDrained
    }

    func nextInvocation() async throws -> Invocation {
        nextCalls += 1
        if pending.isEmpty {
            guard waitWhenDrained else { throw Drained.noMoreInvocations }
            // Wait until cancelled: iterating a stream that never yields ends when the task is.
            let (stream, continuation) = AsyncStream<Void>.makeStream()
            parked.append(continuation)
            for await _ in stream {}
            throw CancellationError()
        }
        return pending.removeFirst()
    }

    func reportResponse(_ response: ByteBuffer, requestID: String) async throws {
        responses.append((requestID, String(buffer: response)))
        for waiter in responseWaiters { waiter.resume() }
        responseWaiters.removeAll()
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

/// The suites whose tests run `Lambda.runLoop`. The loop sets the process-wide `_X_AMZN_TRACE_ID`
/// for each invocation, so two loops at once would see each other's trace: their tests take turns.
@Suite(.serialized) enum LambdaLoopTests {}
