import AsyncHTTPClient
import LambdaRuntime
import Logging
import NIOCore
import Testing
import WIBLSystem
import WIBLTestSupport

/// The real HTTP client against the local Runtime API server, over a socket.
extension LambdaLoopTests {
    @Suite struct LambdaRuntimeClientTests {
        func withClient<R: Sendable>(
            behaviour: RuntimeAPIBehaviour = RuntimeAPIBehaviour(),
            _ body: (LocalRuntimeAPI, LambdaRuntimeClient) async throws -> R
        ) async throws -> R {
            try await withLocalRuntimeAPI(behaviour: behaviour) { api in
                let address = try RuntimeAPIAddress(parsing: api.address)
                return try await LambdaRuntimeClient.withRuntimeClient(address: address, logger: Logger(label: "test"))
                {
                    client in
                    try await body(api, client)
                }
            }
        }

        @Test func nextThenResponse() async throws {
            try await withClient { api, client in
                async let result = api.enqueue(Array(#"{"n":1}"#.utf8), requestID: "req-1", timeout: .seconds(30))
                let invocation = try await client.nextInvocation()
                #expect(invocation.metadata.requestID == "req-1")
                #expect(String(buffer: invocation.event) == #"{"n":1}"#)
                #expect(
                    invocation.metadata.invokedFunctionARN == "arn:aws:lambda:us-east-2:123456789012:function:wibl-test"
                )
                #expect(invocation.metadata.traceID?.hasPrefix("Root=1-") == true)
                #expect(invocation.metadata.clientContext == nil)
                let remaining = Double(invocation.metadata.deadlineMilliseconds - SystemClock.wallMilliseconds())
                #expect(remaining > 25_000 && remaining <= 30_000)
                try await client.reportResponse(ByteBuffer(string: "done"), requestID: "req-1")
                #expect(await result == .response(Array("done".utf8)))
            }
        }

        @Test func nextLongPollsUntilAnEventIsQueued() async throws {
            try await withClient { api, client in
                async let invocation = client.nextInvocation()
                await api.waitUntilPolled()  // the long poll is in flight before the event exists
                async let result = api.enqueue(Array("late".utf8), requestID: "late-1")
                let received = try await invocation
                #expect(String(buffer: received.event) == "late")
                try await client.reportResponse(ByteBuffer(string: "ok"), requestID: "late-1")
                #expect(await result == .response(Array("ok".utf8)))
            }
        }

        @Test func errorReportCarriesTypeHeaderAndJSON() async throws {
            try await withClient { api, client in
                async let result = api.enqueue(Array("{}".utf8), requestID: "req-2")
                _ = try await client.nextInvocation()
                let report = ErrorReport(
                    errorMessage: "no time source", errorType: "WIBL.NoTimeSource", requestID: "req-2")
                try await client.reportError(report, requestID: "req-2")
                #expect(await result == .error(body: report.jsonBytes(), errorType: "WIBL.NoTimeSource"))
            }
        }

        @Test func wrongRequestIDIs400AndDoubleAnswerIs403() async throws {
            try await withClient { api, client in
                async let result = api.enqueue(Array("{}".utf8), requestID: "req-3")
                _ = try await client.nextInvocation()
                await #expect(throws: LambdaRuntimeError.invalidRequestID("other")) {
                    try await client.reportResponse(ByteBuffer(string: "x"), requestID: "other")
                }
                try await client.reportResponse(ByteBuffer(string: "first"), requestID: "req-3")
                await #expect(
                    throws: LambdaRuntimeError.invalidStateTransition(endpoint: RuntimeAPI.responsePath("req-3"))
                ) {
                    try await client.reportResponse(ByteBuffer(string: "second"), requestID: "req-3")
                }
                await #expect(
                    throws: LambdaRuntimeError.invalidStateTransition(endpoint: RuntimeAPI.errorPath("req-3"))
                ) {
                    try await client.reportError(ErrorReport(errorMessage: "m", errorType: "T"), requestID: "req-3")
                }
                #expect(await result == .response(Array("first".utf8)))
            }
        }

        @Test func responseOver6MBIs413() async throws {
            try await withClient { api, client in
                async let result = api.enqueue(Array("{}".utf8), requestID: "big")
                _ = try await client.nextInvocation()
                let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 6 * 1024 * 1024 + 1)
                await #expect(throws: LambdaRuntimeError.payloadTooLarge(bytes: big.readableBytes)) {
                    try await client.reportResponse(big, requestID: "big")
                }
                try await client.reportResponse(ByteBuffer(string: "small"), requestID: "big")
                #expect(await result == .response(Array("small".utf8)))
            }
        }

        @Test func initErrorOnlyBeforeTheFirstNext() async throws {
            try await withClient { api, client in
                try await client.reportInitializationError(
                    ErrorReport(errorMessage: "no config", errorType: "Runtime.Config"))
                let recorded = await api.initErrors()
                #expect(recorded.count == 1)
                #expect(recorded.first?.errorType == "Runtime.Config")
                async let result = api.enqueue(Array("{}".utf8), requestID: "after")
                _ = try await client.nextInvocation()
                await #expect(throws: LambdaRuntimeError.invalidStateTransition(endpoint: RuntimeAPI.initErrorPath)) {
                    try await client.reportInitializationError(
                        ErrorReport(errorMessage: "late", errorType: "Runtime.Late"))
                }
                try await client.reportResponse(ByteBuffer(string: "ok"), requestID: "after")
                _ = await result
            }
        }

        @Test func runLoopOverTheSocketAndTheRIEInvokeEndpoint() async throws {
            try await withClient { api, client in
                let handler: LambdaHandler = { event, context in
                    if String(buffer: event) == "\"fail\"" { throw HandlerFailure() }
                    return ByteBuffer(string: "{\"echo\":\(String(buffer: event)),\"id\":\"\(context.requestID)\"}")
                }
                let loop = Task {
                    try await Lambda.runLoop(client: client, handler: handler, logger: Logger(label: "test"))
                }
                #expect(
                    await api.enqueue(Array("1".utf8), requestID: "r1")
                        == .response(Array(#"{"echo":1,"id":"r1"}"#.utf8)))
                let failed = await api.enqueue(Array("\"fail\"".utf8), requestID: "r2")
                guard case .error(let body, let type) = failed else {
                    Issue.record("expected an error, got \(failed)")
                    loop.cancel()
                    return
                }
                #expect(type == "WIBL.TestFailure")
                #expect(String(decoding: body, as: UTF8.self).contains(#""requestId":"r2""#))

                // The RIE-style invoke endpoint drives the same loop.
                try await HTTPClient.withHTTPClient { http in
                    var request = HTTPClientRequest(url: api.invokeURL)
                    request.method = .POST
                    request.body = .bytes(ByteBuffer(string: "42"))
                    let response = try await http.execute(request, timeout: .seconds(10))
                    #expect(response.status.code == 200)
                    let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                    #expect(text.hasPrefix(#"{"echo":42,"#))

                    var failing = HTTPClientRequest(url: api.invokeURL)
                    failing.method = .POST
                    failing.body = .bytes(ByteBuffer(string: "\"fail\""))
                    let failedResponse = try await http.execute(failing, timeout: .seconds(10))
                    #expect(failedResponse.headers.first(name: "X-Amz-Function-Error") == "WIBL.TestFailure")
                    _ = try await failedResponse.body.collect(upTo: 1 << 20)
                }
                loop.cancel()
                try await loop.value
            }
        }

        @Test func loopExitsWhenTheAPIAnswers500() async throws {
            try await withClient(behaviour: RuntimeAPIBehaviour(internalErrorsOnNext: 1)) { api, client in
                await #expect(throws: LambdaRuntimeError.self) {
                    try await Lambda.runLoop(
                        client: client, handler: { event, _ in event }, logger: Logger(label: "test"))
                }
                #expect(await api.nextCount() == 1)
            }
        }

        @Test func runReportsInitialisationFailure() async throws {
            struct ConfigMissing: Error {}
            try await withLocalRuntimeAPI { api in
                let address = api.address
                await #expect(throws: ConfigMissing.self) {
                    try await Lambda.run(
                        environment: { $0 == "AWS_LAMBDA_RUNTIME_API" ? address : nil }, logger: Logger(label: "test")
                    ) { _ in
                        throw ConfigMissing()
                    }
                }
                let recorded = await api.initErrors()
                #expect(recorded.map(\.errorType) == ["Runtime.ConfigMissing"])
                let body = String(decoding: recorded.first?.body ?? [], as: UTF8.self)
                #expect(body.contains(#""errorType":"Runtime.ConfigMissing""#))
            }
        }
    }
}
