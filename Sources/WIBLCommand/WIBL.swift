import ArgumentParser
import JSONValue
import WIBLGeoJSON

/// The `wibl` command line: convert, inspect and ship WIBL logger files.
@main
struct WIBL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wibl",
        abstract: "Convert WIBL logger files to IHO B-12 GeoJSON and move them through the pipeline.",
        version: WIBLSoftware.version,
        subcommands: [
            ConvertCommand.self, InspectCommand.self, ValidateCommand.self, SimulateCommand.self, BenchCommand.self,
            S3Command.self, SubmitCommand.self, LambdaCommand.self,
        ]
    )

    /// Parses the arguments and runs the command, as ArgumentParser does, except that with `--json`
    /// a usage error is also printed as the one JSON object on standard output (errors met while
    /// running are reported by the command itself; see ``reportingErrors(json:_:)``).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if arguments.contains("--json"), !(error is ExitCode), code != .success {
                let object: JSONValue = [
                    "error": .string(message(for: error)), "errorClass": "UsageError",
                    "exitCode": .integer(Int64(code.rawValue)),
                ]
                print(object.serialized())
            }
            exit(withError: error)
        }
    }
}
