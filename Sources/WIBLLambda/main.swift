// The `bootstrap` of the Lambda custom runtime (`provided.al2023`): `_HANDLER` chooses the
// `process` or `submit` handler; the Runtime API loop runs them (cloud.md §5).
import AsyncHTTPClient
import LambdaRuntime
import Logging
import NIOPosix
import S3
import WIBLCloud

#if canImport(Glibc)
    import Glibc
#endif

LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
let logger = Logger(label: "wibl")
let environment = processEnvironment()
// Connections open within 5 s and a host name that does not resolve fails at once (not after the
// shared client's 90 s connect timeout), so a dead endpoint cannot eat the whole invocation.
let httpClient = HTTPClient(
    eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: S3Client.httpClientConfiguration())

do {
    try await Lambda.run(logger: logger) { logger in
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
