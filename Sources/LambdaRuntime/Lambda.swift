import AsyncHTTPClient
import Logging
import NIOCore
import WIBLSystem

/// A function: the event bytes and the invocation context in, the response bytes out.
///
/// A thrown error becomes an invocation error (`POST …/error`); a ``LambdaReportableError`` chooses
/// its `errorType`, any other error is reported with its Swift type name and description.
public typealias LambdaHandler = @Sendable (ByteBuffer, LambdaContext) async throws -> ByteBuffer

/// Entry points of the custom runtime.
public enum Lambda {
    /// The logger metadata key holding the request id during one invocation.
    public static let requestIDMetadataKey = "aws-request-id"

    /// Runs the function: reads `AWS_LAMBDA_RUNTIME_API`, builds the handler once with `makeHandler`
    /// (reporting a failure to `/runtime/init/error`), then loops until cancelled or until the
    /// Runtime API fails for good.
    ///
    /// - Throws: ``LambdaRuntimeError/missingRuntimeAPIAddress`` or
    ///   ``LambdaRuntimeError/invalidRuntimeAPIAddress(_:)``; the error of `makeHandler` (after
    ///   reporting it); the loop's fatal errors (see ``runLoop(client:handler:logger:)``).
    public static func run(
        environment: @Sendable (String) -> String? = Environment.get,
        logger: Logger,
        makeHandler: (Logger) async throws -> LambdaHandler
    ) async throws {
        let address = try RuntimeAPIAddress.fromEnvironment(environment)
        try await LambdaRuntimeClient.withRuntimeClient(address: address, logger: logger) { client in
            let handler: LambdaHandler
            do {
                handler = try await makeHandler(logger)
            } catch {
                logger.critical("the function could not initialise", metadata: ["error": "\(error)"])
                var report = ErrorReport(error: error)
                if !report.errorType.contains(".") { report.errorType = "Runtime." + report.errorType }
                try? await client.reportInitializationError(report)
                throw error
            }
            try await runLoop(client: client, handler: handler, logger: logger)
        }
    }

    /// The loop: next invocation → handler → response, or → error report; then again.
    ///
    /// For the length of one invocation the logger carries `aws-request-id` and the environment
    /// variable `_X_AMZN_TRACE_ID` holds the trace header (removed when the invocation has none).
    /// Returns when the task is cancelled. A 400 or 403 from the Runtime API on a report is logged and
    /// the loop continues; a 413 on a response is turned into an error report
    /// (`Function.ResponseSizeTooLarge`).
    /// - Throws: ``LambdaRuntimeError/nonRecoverable(endpoint:body:)`` (the Runtime API answered 500:
    ///   the process must exit), transport failures, and any other error of `client`.
    public static func runLoop<Client: LambdaRuntimeClientProtocol>(
        client: Client, handler: LambdaHandler, logger: Logger
    ) async throws {
        while !Task.isCancelled {
            let invocation: Invocation
            do {
                invocation = try await client.nextInvocation()
            } catch {
                if Task.isCancelled { return }
                logger.critical("cannot get the next invocation", metadata: ["error": "\(error)"])
                throw error
            }
            let requestID = invocation.metadata.requestID
            Environment.set(RuntimeAPI.traceVariable, invocation.metadata.traceID)
            var invocationLogger = logger
            invocationLogger[metadataKey: requestIDMetadataKey] = "\(requestID)"
            let context = LambdaContext(metadata: invocation.metadata, logger: invocationLogger)
            invocationLogger.debug("invocation started", metadata: ["event-bytes": "\(invocation.event.readableBytes)"])

            let outcome: Result<ByteBuffer, any Error>
            do {
                outcome = .success(try await handler(invocation.event, context))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let response):
                do {
                    try await client.reportResponse(response, requestID: requestID)
                    invocationLogger.debug(
                        "invocation answered", metadata: ["response-bytes": "\(response.readableBytes)"])
                } catch LambdaRuntimeError.payloadTooLarge(let bytes) {
                    invocationLogger.error("the response is too large for Lambda", metadata: ["bytes": "\(bytes)"])
                    let report = ErrorReport(
                        errorMessage: "the response of \(bytes) bytes is over the Lambda payload limit",
                        errorType: "Function.ResponseSizeTooLarge", requestID: requestID)
                    try await sendError(report, client: client, logger: invocationLogger)
                } catch {
                    try recoverOrThrow(error, logger: invocationLogger)
                }
            case .failure(let error):
                invocationLogger.error("the handler failed", metadata: ["error": "\(error)"])
                try await sendError(
                    ErrorReport(error: error, requestID: requestID), client: client, logger: invocationLogger)
            }
        }
    }

    private static func sendError<Client: LambdaRuntimeClientProtocol>(
        _ report: ErrorReport, client: Client, logger: Logger
    ) async throws {
        do {
            try await client.reportError(report, requestID: report.requestID)
        } catch {
            try recoverOrThrow(error, logger: logger)
        }
    }

    /// 400 and 403 concern one invocation only: log them and carry on; a report cut short because the
    /// loop was cancelled ends the loop quietly, as cancellation does everywhere else; anything else
    /// ends the loop with the error.
    private static func recoverOrThrow(_ error: any Error, logger: Logger) throws {
        if Task.isCancelled {
            logger.debug("report interrupted by cancellation", metadata: ["error": "\(error)"])
            return
        }
        switch error as? LambdaRuntimeError {
        case .invalidRequestID?, .invalidStateTransition?, .payloadTooLarge?:
            logger.error("the Runtime API refused the report", metadata: ["error": "\(error)"])
        default:
            logger.critical("cannot report to the Runtime API", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
