// The `bootstrap` of the Lambda custom runtime (`provided.al2023`): `_HANDLER` chooses the
// `process` or `submit` handler; the Runtime API loop runs them (cloud.md §5).
import AsyncHTTPClient
import LambdaRuntime
import Logging
import WIBLCloud

#if canImport(Glibc)
    import Glibc
#endif

LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
let logger = Logger(label: "wibl")
let environment = processEnvironment()

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
