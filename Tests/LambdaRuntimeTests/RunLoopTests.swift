import LambdaRuntime
import Logging
import NIOCore
import Testing
import WIBLSystem
import WIBLTestSupport

struct HandlerFailure: LambdaReportableError, CustomStringConvertible {
    var errorType: String { "WIBL.TestFailure" }
    var description: String { "the event asked to fail" }
}

extension LambdaLoopTests {
    @Suite struct RunLoopTests {
        let echo: LambdaHandler = { event, context in
            if String(buffer: event) == "fail" { throw HandlerFailure() }
            return ByteBuffer(string: "\(context.requestID):\(String(buffer: event).uppercased())")
        }

        @Test func answersEachInvocationInOrder() async throws {
            let client = FakeRuntimeClient([makeInvocation("a", "one"), makeInvocation("b", "two")])
            await #expect(throws: FakeRuntimeClient.Drained.self) {
                try await Lambda.runLoop(client: client, handler: echo, logger: Logger(label: "test"))
            }
            let responses = await client.responses
            #expect(responses.map(\.requestID) == ["a", "b"])
            #expect(responses.map(\.body) == ["a:ONE", "b:TWO"])
            #expect(await client.errors.isEmpty)
        }

        @Test func handlerErrorBecomesErrorReportAndTheLoopGoesOn() async throws {
            let client = FakeRuntimeClient([makeInvocation("a", "fail"), makeInvocation("b", "ok")])
            await #expect(throws: FakeRuntimeClient.Drained.self) {
                try await Lambda.runLoop(client: client, handler: echo, logger: Logger(label: "test"))
            }
            let errors = await client.errors
            #expect(errors.count == 1)
            #expect(errors.first?.requestID == "a")
            #expect(
                errors.first?.report
                    == ErrorReport(
                        errorMessage: "the event asked to fail", errorType: "WIBL.TestFailure", requestID: "a"))
            #expect(await client.responses.map(\.body) == ["b:OK"])
        }

        @Test func plainSwiftErrorIsReportedWithItsTypeName() async throws {
            struct Oops: Error {}
            let client = FakeRuntimeClient([makeInvocation("a", "x")])
            await #expect(throws: FakeRuntimeClient.Drained.self) {
                try await Lambda.runLoop(
                    client: client, handler: { _, _ in throw Oops() }, logger: Logger(label: "test"))
            }
            #expect(await client.errors.first?.report.errorType == "Oops")
        }

        @Test func stopsWhenCancelled() async throws {
            let client = FakeRuntimeClient([makeInvocation("a", "one")], waitWhenDrained: true)
            let loop = Task { try await Lambda.runLoop(client: client, handler: echo, logger: Logger(label: "test")) }
            await client.waitForResponse()
            loop.cancel()
            try await loop.value  // returns normally, no error
            #expect(await client.nextCalls == 2)
        }

        @Test func requestIDInLoggerMetadataAndTraceInEnvironment() async throws {
            let capture = LogCapture()
            let client = FakeRuntimeClient([
                makeInvocation("req-1", "x", trace: "Root=1-abc"), makeInvocation("req-2", "y"),
            ])
            let handler: LambdaHandler = { _, context in
                context.logger.info("inside")
                return ByteBuffer(string: Environment.get("_X_AMZN_TRACE_ID") ?? "none")
            }
            await #expect(throws: FakeRuntimeClient.Drained.self) {
                try await Lambda.runLoop(client: client, handler: handler, logger: capture.makeLogger())
            }
            let inside = capture.entries.filter { $0.message == "inside" }
            #expect(inside.map { $0.metadata["aws-request-id"].map { "\($0)" } } == ["req-1", "req-2"])
            #expect(await client.responses.map(\.body) == ["Root=1-abc", "none"])
        }

        @Test func remainingTimeIsDeadlineMinusNow() {
            let context = LambdaContext(
                metadata: InvocationMetadata(requestID: "a", deadlineMilliseconds: 10_000, invokedFunctionARN: "arn"),
                logger: Logger(label: "test"))
            #expect(context.remainingTime(nowMilliseconds: 7_500) == .milliseconds(2_500))
            #expect(context.remainingTime(nowMilliseconds: 11_000) == .milliseconds(-1_000))
        }
    }
}
