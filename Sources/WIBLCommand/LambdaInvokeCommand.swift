import ArgumentParser
import AsyncHTTPClient
import Logging
import NIOCore
import WIBLCloud

/// `wibl lambda invoke`: run a Lambda handler in this process, against real S3 (and DCDB).
struct LambdaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lambda",
        abstract: "Run the pipeline's Lambda handlers locally.",
        subcommands: [LambdaInvokeCommand.self]
    )
}

struct LambdaInvokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Replay an S3 event through the process or submit handler, in this process.",
        discussion: """
            Uses the same code and the same environment variables as the deployed function: \
            STAGING_BUCKET (or DEST_BUCKET), PROVIDER_ID, WIBL_CONFIG_FILE for `process`; PROVIDER_ID, \
            PROVIDER_AUTH, UPLOAD_POINT for `submit`; AWS credentials, AWS_REGION and \
            AWS_ENDPOINT_URL[_S3] for S3. Prints the handler's JSON summary; exits 1 when the \
            invocation failed (every record failed) and 6 when a variable is missing. Connections open \
            within 5 s and a host name that does not resolve fails at once.
            """
    )

    @Option(name: .long, help: "The handler: process or submit.")
    var handler: String

    @Option(name: .long, help: "The event JSON file (an S3 notification, S3-in-SNS or WIBL SNS message).")
    var event: String

    @OptionGroup var network: NetworkOptions

    func validate() throws {
        guard ["process", "submit"].contains(handler) else {
            throw ValidationError("--handler must be process or submit.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let bytes = try readWholeFile(event)
            var logger = Logger(label: "wibl.lambda") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = Logger.Level(rawValue: (environment("LOG_LEVEL") ?? "info").lowercased()) ?? .info
            try await network.withHTTPClient { http in
                let run = try PipelineFactory.makeHandler(
                    name: handler, environment: processEnvironment(), httpClient: http, logger: logger)
                do {
                    let summary = try await run(bytes, { .seconds(900) }, logger)
                    print(String(buffer: summary))
                } catch {
                    // The handler reported an invocation error: every record failed.
                    writeStandardError("Error: \(error)\n")
                    throw WIBLExitCode.otherFailure
                }
            }
        }
    }
}
