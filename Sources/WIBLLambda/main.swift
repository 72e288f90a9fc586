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
import WIBLCloud
import WIBLConversion
import WIBLSystem

let environment = Environment.all()
let arguments = CommandLine.arguments

if arguments.count == 4, arguments[1] == "invoke" {
    exit(await invokeLocally(handler: arguments[2], eventPath: arguments[3]))
}

LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
let logger = Logger(label: "wibl")
do {
    try await Lambda.run(logger: logger) { logger in
        let handler = try PipelineFactory.makeHandler(
            name: environment["_HANDLER"], environment: environment, httpClient: HTTPClient.shared, logger: logger)
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
        run = try PipelineFactory.makeHandler(
            name: name, environment: environment, httpClient: .shared, logger: logger)
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
