import ArgumentParser
import JSONValue
import WIBLGeoJSON

/// `wibl validate`: B-12 checks of GeoJSON files.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check GeoJSON files against the IHO B-12 convention (the checks csbschema makes).",
        discussion: """
            Exit status: 0 when every file is valid; 7 when a file has problems (each is listed with its \
            JSON path); 3 when a file is unreadable. Problems that come from the logger file itself — a \
            logger id that is not PROVIDER-<UUID>, metadata with a wrong type — cannot be fixed by \
            conversion: correct the logger's configuration or its JSON metadata.
            """
    )

    @Argument(help: "GeoJSON files to check.", completion: .file(extensions: ["geojson", "json"]))
    var files: [String]

    func run() async throws {
        var worst = WIBLExitCode.success
        for path in files {
            let document: JSONValue
            do {
                document = try JSONValue.parse(try readFile(path).readableBytesView)
            } catch let error as JSONParseError {
                writeStandardError("\(path): not JSON: \(error)\n")
                worst = WIBLExitCode.invalidGeoJSON
                continue
            } catch {
                writeStandardError("Error: \(error)\n")
                if worst == WIBLExitCode.success { worst = WIBLExitCode.ioError }
                continue
            }
            let issues = B12Validator.check(document)
            if issues.isEmpty {
                print("\(path): valid")
            } else {
                print("\(path): \(issues.count) problem(s)")
                for issue in issues { print("  \(issue)") }
                worst = WIBLExitCode.invalidGeoJSON
            }
        }
        if worst != WIBLExitCode.success { throw worst }
    }
}
