import ArgumentParser
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
            S3Command.self, SubmitCommand.self, LambdaCommand.self, AccuracyCommand.self,
        ]
    )
}
