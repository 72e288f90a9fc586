import ArgumentParser
import B12Validation
import JSONValue
import NIOCore
import WIBLConversion
import WIBLGeoJSON
import WIBLSystem

/// `wibl validate FILE.geojson…`: checks GeoJSON files against the IHO B-12 convention, as the
/// `csbschema` validator does (`geojson-b12.md` §7).
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check GeoJSON files against the IHO B-12 crowdsourced-bathymetry convention.",
        discussion: """
            Makes the checks of the csbschema validator (schema 3.1.0-2024-04) that DCDB applies: the \
            trusted-node keys, the vessel id (PROVIDER-UUID), the platform and processing metadata, and \
            every sounding's position, depth and time. Problems that come from the logger's own \
            configuration — a unique id that is not a UUID, or JSON metadata with wrongly typed values \
            such as a non-integer vessel length — are marked as such: the conversion kept them as \
            recorded, and the fix is in the logger's setup.

            Exit status (the highest over the files): 0 when every file is valid, 3 when a file \
            cannot be read, 7 when a file is not valid.
            """
    )

    @Argument(help: "The GeoJSON files to check.", completion: .file(extensions: ["geojson", "json"]))
    var files: [String]

    @Flag(
        name: .long,
        help: "Print one JSON object (valid, files: [{file, valid, features, issues}]) instead of text.")
    var json = false

    @Option(name: .long, help: "List at most this many problems with individual soundings per file.")
    var featureLimit = 20

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one GeoJSON file to check.") }
        guard featureLimit >= 0 else { throw ValidationError("--feature-limit must be 0 or more.") }
    }

    func run() async throws {
        try await reportingErrors(json: json ? ["valid": false, "files": []] : nil) { try checkAll() }
    }

    private func checkAll() throws {
        var failures: [ExitCode] = []
        var entries: [JSONValue] = []
        for file in files {
            let outcome = Self.check(file, featureLimit: featureLimit)
            switch outcome {
            case .unreadable: failures.append(WIBLExitCode.ioError)
            case .checked(let issues, _) where !issues.isEmpty: failures.append(WIBLExitCode.invalidGeoJSON)
            case .notJSON: failures.append(WIBLExitCode.invalidGeoJSON)
            case .checked: break
            }
            if json {
                entries.append(outcome.json(file: file))
            } else {
                outcome.printText(file: file)
            }
        }
        if json {
            print(JSONValue.object(["valid": .bool(failures.isEmpty), "files": .array(entries)]).serialized())
        }
        let code = WIBLExitCode.exitCode(for: failures)
        if code != WIBLExitCode.success { throw code }
    }

    /// The result of checking one file.
    enum Outcome {
        case unreadable(reason: String)
        case notJSON(reason: String)
        case checked(issues: [B12Issue], features: Int)

        func printText(file: String) {
            switch self {
            case .unreadable(let reason):
                printError("\(file): \(reason)")
            case .notJSON(let reason):
                print("\(file): INVALID: it is not JSON: \(reason)")
            case .checked(let issues, let features) where issues.isEmpty:
                print("\(file): valid (\(features) soundings)")
            case .checked(let issues, let features):
                let fromInput = issues.filter { $0.cause == .input }.count
                let note =
                    fromInput == 0
                    ? ""
                    : fromInput == issues.count
                        ? ", all caused by the logger's input" : ", \(fromInput) caused by the logger's input"
                print(
                    "\(file): INVALID: \(issues.count) problem\(issues.count == 1 ? "" : "s")\(note) (\(features) soundings)"
                )
                for issue in issues { print("  " + issue.description) }
            }
        }

        func json(file: String) -> JSONValue {
            var object: JSONObject = ["file": .string(file)]
            switch self {
            case .unreadable(let reason):
                object["valid"] = false
                object["error"] = .string(reason)
            case .notJSON(let reason):
                object["valid"] = false
                object["error"] = .string("not JSON: \(reason)")
            case .checked(let issues, let features):
                object["valid"] = .bool(issues.isEmpty)
                object["features"] = .integer(Int64(features))
                object["issues"] = .array(
                    issues.map {
                        .object([
                            "path": .string($0.path), "message": .string($0.message),
                            "cause": .string($0.cause.rawValue),
                        ])
                    })
            }
            return .object(object)
        }
    }

    static func check(_ file: String, featureLimit: Int) -> Outcome {
        let bytes: ByteBuffer
        do {
            bytes = try ByteBuffer(contentsOfFile: file)
        } catch {
            return .unreadable(reason: "\(error)")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes.readableBytesView)
        } catch {
            return .notJSON(reason: error.description)
        }
        let issues = B12Validator.check(document, featureLimit: featureLimit)
        return .checked(issues: issues, features: document["features"]?.arrayValue?.count ?? 0)
    }
}

private func printError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
