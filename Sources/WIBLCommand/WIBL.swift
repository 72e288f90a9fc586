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
            S3Command.self, SubmitCommand.self, LambdaCommand.self, AccuracyCommand.self, PlotCommand.self,
            SummaryCommand.self, EditCommand.self,
        ]
    )

    /// Parses the arguments and runs the command, as ArgumentParser does, with two differences:
    /// with `--json` a usage error is also printed as the one JSON object on standard output, and
    /// an error that escapes a command's `run()` is reported and mapped to its exit code by
    /// ``WIBLExitCode/exitCode(for:)``, the one policy of every command (commands that report
    /// their own errors, see ``reportingErrors(json:_:)``, throw an `ExitCode`, which passes through).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = arguments.contains("--json")
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if json, code != .success {
                let object: JSONValue = [
                    "error": .string(message(for: error)), "errorClass": "UsageError",
                    "exitCode": .integer(Int64(code.rawValue)),
                ]
                print(object.serialized())
            }
            exit(withError: error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            // ArgumentParser's own signals (help, completion scripts) and errors of no class of
            // ours keep its handling; everything else goes through the one policy.
            if WIBLExitCode.exitCode(for: error) == WIBLExitCode.otherFailure, !(error is CommandFailure) {
                exit(withError: error)
            }
            exit(withError: report(error, json: json ? [:] : nil))
        }
    }
}
