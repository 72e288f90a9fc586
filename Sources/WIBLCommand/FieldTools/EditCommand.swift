import ArgumentParser
import B12Validation
import JSONValue
import NIOCore
import WIBLConversion
import WIBLEdit
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// `wibl edit`: change a logger file's metadata, algorithms, filters or version after the fact.
struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a logger file's logger id, ship name, JSON metadata, algorithms, filters or version.",
        discussion: """
            Every packet the edit does not touch is kept byte for byte, damaged and unknown ones \
            included. Metadata and JSON metadata are replaced in place (the last such packet, the one \
            readers use), or appended at the end when the file has none; algorithm requests and \
            NMEA0183 filters are appended at the end (as the original editwibl does). The output is \
            written to a temporary name and renamed when complete; on any error nothing is written. \
            The serialiser version option is --format-version, because --version prints wibl's own \
            version. Exit status: 0 done; 3 unreadable input or unwritable output; 4 not a WIBL file; \
            6 invalid metadata; 64 bad options or an edit the file cannot take.
            """
    )

    @Argument(help: "The logger file to edit.")
    var input: String

    @Option(name: .shortAndLong, help: "Write the edited file here.")
    var output: String?

    @Flag(name: .long, help: "Replace the input file (through a temporary file and a rename).")
    var inPlace = false

    @Option(name: .long, help: "Set the logger's unique id (DCDB wants a UUID: PROVIDER-<UUID>).")
    var loggerID: String?

    @Option(name: .long, help: "Set the ship name.")
    var shipName: String?

    @Option(name: .long, help: "Set or replace the JSON metadata from this file (B-12 trustedNode/platform fields).")
    var metadata: String?

    @Option(name: .long, help: "Append an algorithm request: NAME or NAME;PARAMS (repeatable).")
    var addAlgorithm: [String] = []

    @Option(name: .long, help: "Remove every request of the algorithm NAME (repeatable).")
    var removeAlgorithm: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "NMEA0183 sentence types to record, e.g. GGA ZDA DBT.")
    var nmea0183Filter: [String] = []

    @Option(name: .long, help: "Write serialiser version MAJOR.MINOR (1.0 … 1.3); refused if it cannot hold the file.")
    var formatVersion: String?

    @Flag(name: .long, help: "Print what would change; write nothing.")
    var dryRun = false

    func validate() throws {
        if output != nil && inPlace { throw ValidationError("give either -o OUTPUT or --in-place, not both.") }
        if output == nil && !inPlace && !dryRun {
            throw ValidationError("say where the edited file goes: -o OUTPUT, --in-place, or --dry-run.")
        }
        if let formatVersion, Self.parseVersion(formatVersion) == nil {
            throw ValidationError("--format-version takes MAJOR.MINOR, e.g. 1.3; got '\(formatVersion)'.")
        }
        for sentence in nmea0183Filter where !Self.isSentenceType(sentence) {
            throw ValidationError("--nmea0183-filter takes three-letter sentence types such as GGA; got '\(sentence)'.")
        }
        for spec in addAlgorithm where Self.algorithm(spec).name.isEmpty {
            throw ValidationError("--add-algorithm takes NAME or NAME;PARAMS; got '\(spec)'.")
        }
        if let loggerID, loggerID.isEmpty { throw ValidationError("--logger-id must not be empty.") }
    }

    func run() async throws {
        var request = WIBLEditRequest()
        request.loggerID = loggerID
        request.shipName = shipName
        request.addAlgorithms = addAlgorithm.map(Self.algorithm)
        request.removeAlgorithms = removeAlgorithm
        request.nmea0183Filters = nmea0183Filter
        request.version = formatVersion.flatMap(Self.parseVersion)
        if let loggerID, !Self.isUUID(loggerID) {
            writeStandardError(
                "warning: logger id '\(loggerID)' is not a UUID: DCDB wants vessel ids of the form PROVIDER-<UUID>, so its GeoJSON will fail validation.\n"
            )
        }
        if let metadata {
            do {
                request.jsonMetadata = try Self.loadMetadata(metadata)
            } catch let error as MetadataFileError {
                writeStandardError("Error: \(error)\n")
                throw error.isIO ? WIBLExitCode.ioError : WIBLExitCode.configuration
            }
        }
        let bytes: ByteBuffer
        do {
            bytes = try ByteBuffer(contentsOfFile: input)
        } catch {
            writeStandardError("Error: \(error)\n")
            throw WIBLExitCode.ioError
        }
        let result: WIBLEditResult
        do {
            result = try WIBLEditor.apply(request, to: bytes)
        } catch {
            writeStandardError("Error: \(input): \(error.description)\n")
            switch error {
            case .notWIBL: throw WIBLExitCode.notWIBL
            default: throw ExitCode.validationFailure
            }
        }
        if dryRun {
            print("\(input): \(result.changes.count) change(s) (dry run, nothing written)")
            for change in result.changes { print("  \(change)") }
            return
        }
        let destination = output ?? input
        do {
            try AtomicFile.write(to: destination) { sink in
                try result.bytes.withUnsafeReadableBytes { raw in try sink.write(raw) }
            }
        } catch {
            writeStandardError("Error: \(error)\n")
            throw WIBLExitCode.ioError
        }
        print("\(destination): \(result.changes.count) change(s)")
        for change in result.changes { print("  \(change)") }
    }

    /// `NAME;PARAMS` split at the first `;` (as the original editwibl).
    static func algorithm(_ spec: String) -> AlgorithmRequest {
        guard let semicolon = spec.firstIndex(of: ";") else { return AlgorithmRequest(name: spec, parameters: "") }
        return AlgorithmRequest(
            name: String(spec[..<semicolon]), parameters: String(spec[spec.index(after: semicolon)...]))
    }

    static func parseVersion(_ text: String) -> (major: UInt16, minor: UInt16)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = UInt16(parts[0]), let minor = UInt16(parts[1]) else { return nil }
        return (major, minor)
    }

    static func isSentenceType(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// 8-4-4-4-12 hexadecimal digits.
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// Why a metadata file cannot be used.
    struct MetadataFileError: Error, CustomStringConvertible {
        var description: String
        var isIO = false
    }

    /// Reads, checks and compacts a metadata file: it must be a JSON object that merges into the
    /// GeoJSON header without errors, and whose trustedNode, platform and CRS fields pass the B-12
    /// checks of `wibl validate`. Returns one line of JSON (the firmware wants no CR/LF).
    static func loadMetadata(_ path: String) throws -> String {
        let bytes: ByteBuffer
        do {
            bytes = try ByteBuffer(contentsOfFile: path)
        } catch {
            throw MetadataFileError(description: "\(error)", isIO: true)
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes.readableBytesView)
        } catch {
            throw MetadataFileError(description: "\(path) is not valid JSON: \(error.description)")
        }
        guard json.objectValue != nil else {
            throw MetadataFileError(
                description: "\(path) holds a JSON \(json.typeName); the metadata must be an object.")
        }
        let text = json.serialized()
        // Merge it into a header as the conversion would, with a placeholder vessel id that passes,
        // and keep the validator's findings about the fields the metadata provides.
        let probe = ProcessedFile(
            loggerName: "00000000-0000-4000-8000-000000000000", platformName: "probe", loggerVersion: "1.3/1.0.0/1.0.0",
            jsonMetadata: TextPayload(text), algorithms: [], depth: DepthSeries(), lineage: [])
        var sink = MemorySink()
        do {
            _ = try GeoJSONWriter.write(
                probe, settings: GeoJSONSettings(providerID: "PROVIDER", software: "probe"), to: &sink)
        } catch {
            throw MetadataFileError(description: "\(path): \(error.description)")
        }
        guard let document = try? JSONValue.parse(Array(sink.buffer.readableBytesView)) else {
            throw MetadataFileError(description: "\(path): the merged header could not be read back.")
        }
        let issues = B12Validator.check(document).filter {
            $0.path.hasPrefix("properties.trustedNode") || $0.path.hasPrefix("properties.platform")
                || $0.path.hasPrefix("crs")
        }
        guard issues.isEmpty else {
            throw MetadataFileError(
                description: "\(path) would make the GeoJSON fail B-12 validation:\n"
                    + issues.map { "  - \($0.description)" }.joined(separator: "\n"))
        }
        return text
    }
}
