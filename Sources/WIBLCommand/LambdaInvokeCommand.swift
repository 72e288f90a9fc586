import ArgumentParser
import WIBLConversion
import WIBLSystem

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
        abstract: "Replay an event through the process, submit or reconcile handler, locally.",
        discussion: """
            Uses the same code and the same environment variables as the deployed function: \
            STAGING_BUCKET (or DEST_BUCKET), PROVIDER_ID, WIBL_CONFIG_FILE for `process`; PROVIDER_ID, \
            PROVIDER_AUTH, UPLOAD_POINT for `submit`; INCOMING_BUCKET and STAGING_BUCKET for \
            `reconcile` (any event, e.g. `{}`); AWS credentials, AWS_REGION and \
            AWS_ENDPOINT_URL[_S3] for S3. Prints the handler's JSON summary; exits 1 when the \
            invocation failed (every record failed) and 6 when a variable is missing.
            """
    )

    @Option(name: .long, help: "The handler: process, submit or reconcile.")
    var handler: String

    @Option(name: .long, help: "The event JSON file (an S3 notification, S3-in-SNS or WIBL SNS message).")
    var event: String

    func validate() throws {
        guard ["process", "submit", "reconcile"].contains(handler) else {
            throw ValidationError("--handler must be process, submit or reconcile.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            // The handlers live in the `bootstrap` executable (the CLI does not link the cloud
            // handlers): run the one built next to this `wibl`, in place of this process.
            let bootstrap = siblingExecutable("bootstrap")
            guard access(bootstrap, X_OK) == 0 else {
                throw SettingError(
                    "'\(bootstrap)' was not found; build it with `swift build --product bootstrap` "
                        + "(it runs the handlers).")
            }
            let words: [String] = [bootstrap, "invoke", handler, event]
            let argv = words.map { strdup($0) } + [nil]
            execv(bootstrap, argv)
            throw SystemError("run", path: bootstrap)
        }
    }
}

/// The path of an executable in the same folder as the running one.
func siblingExecutable(_ name: String) -> String {
    let own = currentExecutablePath() ?? CommandLine.arguments[0]
    guard let slash = own.lastIndex(of: "/") else { return name }
    return String(own[...slash]) + name
}
