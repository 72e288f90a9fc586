import WIBLSystem

/// How an invocation ended, as the invoker sees it.
public enum InvocationResult: Sendable, Hashable {
    /// The function posted a response with this body.
    case response([UInt8])
    /// The function posted an error: the JSON body and the `Lambda-Runtime-Function-Error-Type` header.
    case error(body: [UInt8], errorType: String?)
    /// The server stopped before the function answered.
    case abandoned
}

/// An error posted to `/runtime/init/error`.
public struct RecordedInitError: Sendable, Hashable {
    /// The JSON body.
    public var body: [UInt8]
    /// The `Lambda-Runtime-Function-Error-Type` header.
    public var errorType: String?
}

/// Scripted deviations of the local Runtime API.
public struct RuntimeAPIBehaviour: Sendable {
    /// Answer the first `n` calls of `next` with 500 (non-recoverable) instead of an event.
    public var internalErrorsOnNext: Int

    /// Creates a behaviour; the default is a faithful server.
    public init(internalErrorsOnNext: Int = 0) {
        self.internalErrorsOnNext = internalErrorsOnNext
    }
}

/// A faithful local Lambda Runtime API (`cloud.md` §5, after the RIE's `rapi`) for one test.
public struct LocalRuntimeAPI: Sendable {
    /// The TCP port on 127.0.0.1.
    public let port: Int
    let state: RuntimeAPIState

    /// The value for `AWS_LAMBDA_RUNTIME_API`.
    public var address: String { "127.0.0.1:\(port)" }
    /// The RIE-style local invoke URL (`POST` the event, get the function's answer).
    public var invokeURL: String { "http://127.0.0.1:\(port)/2015-03-31/functions/function/invocations" }

    /// Queues an event and waits for the function's answer.
    ///
    /// - Parameters:
    ///   - event: the event body.
    ///   - requestID: the request id (a fresh UUID by default).
    ///   - timeout: sets `Lambda-Runtime-Deadline-Ms` to now + `timeout`.
    ///   - functionARN, traceID, clientContext, cognitoIdentity: the other headers; empty ones are omitted.
    public func enqueue(
        _ event: [UInt8], requestID: String? = nil, timeout: Duration = .seconds(90),
        functionARN: String = "arn:aws:lambda:us-east-2:123456789012:function:wibl-test",
        traceID: String = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        clientContext: String = "", cognitoIdentity: String = ""
    ) async -> InvocationResult {
        let seconds = timeout.components.seconds
        let invocation = QueuedInvocation(
            requestID: requestID ?? makeRequestID(),
            event: event,
            deadlineMilliseconds: nowMilliseconds() + seconds * 1000 + timeout.components.attoseconds
                / 1_000_000_000_000_000,
            functionARN: functionARN, traceID: traceID, clientContext: clientContext, cognitoIdentity: cognitoIdentity)
        return await state.enqueue(invocation)
    }

    /// The bodies posted to `/runtime/init/error` that were accepted.
    public func initErrors() async -> [RecordedInitError] { await state.initErrors }
    /// Number of `next` calls received.
    public func nextCount() async -> Int { await state.nextCount }

    /// Returns once a `next` request is waiting for an event (a long poll is in flight).
    public func waitUntilPolled() async { await state.waitUntilPolled() }

    /// Returns once an init error has been accepted, or once the waiting task is cancelled.
    public func waitForInitError() async -> [RecordedInitError] {
        await state.waitForInitError()
        return await state.initErrors
    }
}

/// Runs a local Runtime API for the duration of `body`: `GET …/invocation/next` long-polls until an
/// event is queued (``LocalRuntimeAPI/enqueue(_:requestID:timeout:functionARN:traceID:clientContext:cognitoIdentity:)``
/// or the RIE invoke URL); `…/{id}/response` and `…/{id}/error` answer 202 `{"status":"OK"}`, 400
/// `InvalidRequestID` for an unknown id, 403 `InvalidStateTransition` for a second answer, 413 over
/// 6 MB; `/runtime/init/error` is accepted only before the first `next` (403 afterwards).
public func withLocalRuntimeAPI<Result>(
    behaviour: RuntimeAPIBehaviour = RuntimeAPIBehaviour(),
    _ body: (LocalRuntimeAPI) async throws -> Result
) async throws -> Result {
    let state = RuntimeAPIState(behaviour: behaviour)
    let handler: @Sendable (LocalHTTPRequest) async -> LocalHTTPResponse = { request in
        await route(request, state: state)
    }
    return try await withLocalHTTPServer(handler: handler) { port in
        try await body(LocalRuntimeAPI(port: port, state: state))
    }
}

struct QueuedInvocation: Sendable {
    var requestID: String
    var event: [UInt8]
    var deadlineMilliseconds: Int64
    var functionARN: String
    var traceID: String
    var clientContext: String
    var cognitoIdentity: String
}

actor RuntimeAPIState {
    enum Answer { case accepted, invalidRequestID, invalidStateTransition }

    var behaviour: RuntimeAPIBehaviour
    var queue: [QueuedInvocation] = []
    var invokers: [String: CheckedContinuation<InvocationResult, Never>] = [:]
    var pollers: [(token: Int, continuation: CheckedContinuation<QueuedInvocation?, Never>)] = []
    var nextToken = 0
    var current: String?
    var answered: Set<String> = []
    var nextCount = 0
    var initErrors: [RecordedInitError] = []
    /// Tests waiting for a long poll, or for an init error (awaited signals instead of sleeps).
    var pollWaiters: [CheckedContinuation<Void, Never>] = []
    var initErrorWaiters: [CheckedContinuation<Void, Never>] = []

    func waitUntilPolled() async {
        guard pollers.isEmpty else { return }
        await withCheckedContinuation { pollWaiters.append($0) }
    }

    func waitForInitError() async {
        guard initErrors.isEmpty else { return }
        await withCheckedContinuation { initErrorWaiters.append($0) }
    }

    init(behaviour: RuntimeAPIBehaviour) { self.behaviour = behaviour }

    func enqueue(_ invocation: QueuedInvocation) async -> InvocationResult {
        let id = invocation.requestID
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                invokers[id] = continuation
                if let poller = pollers.first {
                    pollers.removeFirst()
                    current = id
                    poller.continuation.resume(returning: invocation)
                } else {
                    queue.append(invocation)
                }
            }
        } onCancel: {
            Task { await self.abandon(id) }
        }
    }

    func abandon(_ id: String) {
        queue.removeAll { $0.requestID == id }
        invokers.removeValue(forKey: id)?.resume(returning: .abandoned)
    }

    /// `nil` when the poll was cancelled; `.failure` when scripted to fail.
    func next() async -> QueuedInvocation?? {
        nextCount += 1
        if behaviour.internalErrorsOnNext > 0 {
            behaviour.internalErrorsOnNext -= 1
            return .some(nil)
        }
        if !queue.isEmpty {
            let invocation = queue.removeFirst()
            current = invocation.requestID
            return invocation
        }
        let token = nextToken
        nextToken += 1
        let polled: QueuedInvocation? = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    pollers.append((token, continuation))
                    for waiter in pollWaiters { waiter.resume() }
                    pollWaiters.removeAll()
                }
            }
        } onCancel: {
            Task { await self.cancelPoll(token) }
        }
        guard let polled else { return nil }
        return polled
    }

    func cancelPoll(_ token: Int) {
        guard let index = pollers.firstIndex(where: { $0.token == token }) else { return }
        pollers.remove(at: index).continuation.resume(returning: nil)
    }

    func answer(_ id: String, with result: InvocationResult) -> Answer {
        if answered.contains(id) { return .invalidStateTransition }
        guard current == id, let invoker = invokers.removeValue(forKey: id) else { return .invalidRequestID }
        answered.insert(id)
        current = nil
        invoker.resume(returning: result)
        return .accepted
    }

    func initError(_ error: RecordedInitError) -> Bool {
        guard nextCount == 0 else { return false }
        initErrors.append(error)
        for waiter in initErrorWaiters { waiter.resume() }
        initErrorWaiters.removeAll()
        return true
    }
}

private let apiPrefix = "/2018-06-01/runtime/invocation/"
private let accepted = LocalHTTPResponse.json(202, #"{"status":"OK"}"#)
private let invalidStateTransition = LocalHTTPResponse.json(
    403,
    #"{"errorMessage":"State transition from Ready to InvocationErrorResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}"#
)

private func route(_ request: LocalHTTPRequest, state: RuntimeAPIState) async -> LocalHTTPResponse {
    let path = request.path
    switch (request.method, path) {
    case ("GET", "/2018-06-01/runtime/invocation/next"):
        guard let polled = await state.next() else {
            return .json(503, #"{"errorMessage":"server stopping","errorType":"Shutdown"}"#)
        }
        guard let invocation = polled else {
            return .json(500, #"{"errorMessage":"Internal Server Error","errorType":"InternalError"}"#)
        }
        var headers = [LocalHeader("Content-Type", "application/json")]
        let optional: [(String, String)] = [
            ("Lambda-Runtime-Aws-Request-Id", invocation.requestID),
            ("Lambda-Runtime-Deadline-Ms", "\(invocation.deadlineMilliseconds)"),
            ("Lambda-Runtime-Invoked-Function-Arn", invocation.functionARN),
            ("Lambda-Runtime-Trace-Id", invocation.traceID),
            ("Lambda-Runtime-Client-Context", invocation.clientContext),
            ("Lambda-Runtime-Cognito-Identity", invocation.cognitoIdentity),
        ]
        for (name, value) in optional where !value.isEmpty { headers.append(LocalHeader(name, value)) }
        return LocalHTTPResponse(status: 200, headers: headers, body: invocation.event)

    case ("POST", "/2018-06-01/runtime/init/error"):
        let error = RecordedInitError(
            body: request.body, errorType: request.header("Lambda-Runtime-Function-Error-Type"))
        return await state.initError(error) ? accepted : invalidStateTransition

    case ("POST", "/2015-03-31/functions/function/invocations"):
        switch await LocalRuntimeAPI(port: 0, state: state).enqueue(request.body) {
        case .response(let body):
            return LocalHTTPResponse(
                status: 200, headers: [LocalHeader("Content-Type", "application/json")], body: body)
        case .error(let body, let errorType):
            return LocalHTTPResponse(
                status: 200,
                headers: [
                    LocalHeader("Content-Type", "application/json"),
                    LocalHeader("X-Amz-Function-Error", errorType ?? "Unhandled"),
                ],
                body: body)
        case .abandoned:
            return .json(502, #"{"errorMessage":"the function did not answer","errorType":"Abandoned"}"#)
        }

    case ("POST", _) where path.hasPrefix(apiPrefix) && (path.hasSuffix("/response") || path.hasSuffix("/error")):
        let rest = path.dropFirst(apiPrefix.count)
        guard let slash = rest.lastIndex(of: "/") else { return notFound(path) }
        let id = String(rest[..<slash])
        let isResponse = path.hasSuffix("/response")
        if request.body.count > 6 * 1024 * 1024 {
            return .json(
                413,
                #"{"errorMessage":"Exceeded maximum allowed payload size (6291456 bytes).","errorType":"RequestEntityTooLarge"}"#
            )
        }
        let result: InvocationResult =
            isResponse
            ? .response(request.body)
            : .error(body: request.body, errorType: request.header("Lambda-Runtime-Function-Error-Type"))
        switch await state.answer(id, with: result) {
        case .accepted: return accepted
        case .invalidRequestID:
            return .json(400, #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
        case .invalidStateTransition: return invalidStateTransition
        }

    default:
        return notFound(path)
    }
}

private func notFound(_ path: String) -> LocalHTTPResponse {
    .json(404, #"{"errorMessage":"no route for \#(path)","errorType":"NotFound"}"#)
}

private func nowMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

private func makeRequestID() -> String {
    var generator = SystemRandomNumberGenerator()
    let hex = Array("0123456789abcdef")
    let digits = (0..<32).map { _ in hex[Int(generator.next(upperBound: UInt8(16)))] }
    let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }
    return groups.joined(separator: "-")
}
