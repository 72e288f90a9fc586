// The `bootstrap` of the Lambda custom runtime (`provided.al2023`): `_HANDLER` chooses the
// `process` or `submit` handler; the Runtime API loop runs them (cloud.md §5).
//
// `bootstrap invoke HANDLER EVENT.json` runs one event through a handler in this process instead
// (what `wibl lambda invoke` runs): prints the summary JSON; exit 1 when the invocation failed,
// 3 when the event cannot be read, 6 when the environment is incomplete.
import AsyncHTTPClient
import LambdaRuntime
import Logging
import NIOCore
import NIOPosix
import S3
import WIBLCloud
import WIBLConversion
import WIBLSystem

let environment = Environment.all()
let arguments = CommandLine.arguments
// Connections open within 5 s and a host name that does not resolve fails at once (not after the
// shared client's 90 s connect timeout), so a dead endpoint cannot eat the whole invocation.
let httpClient = HTTPClient(
    eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: S3Client.httpClientConfiguration())

if arguments.count == 4, arguments[1] == "invoke" {
    exit(await invokeLocally(handler: arguments[2], eventPath: arguments[3]))
}

LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
let logger = Logger(label: "wibl")
do {
    try await Lambda.run(logger: logger) { logger in
        // the DCDB token from SSM Parameter Store, once per cold start (PROVIDER_AUTH_PARAMETER)
        let environment = try await PipelineFactory.resolvingProviderAuth(
            environment: environment, httpClient: HTTPClient.shared, logger: logger)
        let handler = try PipelineFactory.makeHandler(
            name: environment["_HANDLER"], environment: environment, httpClient: httpClient, logger: logger)
        return { event, context in
            try await handler(event, { context.remainingTime() }, context.logger)
        }
    }
} catch {
    logger.critical("the runtime stopped", metadata: ["error": "\(error)"])
    exit(1)
}

/// Runs one event file through a handler, logging to standard error; returns the exit status.
func invokeLocally(handler name: String, eventPath: String) async -> Int32 {
    func fail(_ message: String, _ status: Int32) -> Int32 {
        var line = Array("Error: \(message)\n".utf8)
        _ = write(STDERR_FILENO, &line, line.count)
        return status
    }
    let event: ByteBuffer
    do {
        event = try ByteBuffer(contentsOfFile: eventPath, limit: 1 << 24)
    } catch {
        return fail("\(error)", 3)
    }
    var logger = Logger(label: "wibl.lambda") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = Logger.Level(rawValue: (environment["LOG_LEVEL"] ?? "info").lowercased()) ?? .info
    let run: PipelineHandler
    do {
        let environment = try await PipelineFactory.resolvingProviderAuth(
            environment: environment, httpClient: .shared, logger: logger)
        run = try PipelineFactory.makeHandler(
            name: name, environment: environment, httpClient: httpClient, logger: logger)
    } catch {
        return fail("\(error)", 6)
    }
    do {
        let summary = try await run(event, { .seconds(900) }, logger)
        print(String(buffer: summary))
        return 0
    } catch {
        return fail("\(error)", 1)
    }
}
