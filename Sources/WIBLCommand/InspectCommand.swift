import ArgumentParser
import JSONValue
import NIOCore
import WIBLConversion
import WIBLFormat

/// `wibl inspect`: what is inside logger files.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a WIBL file contains: version, logger, metadata, algorithms, packet counts, damage.",
        discussion: """
            Exit status: 0 when every file is clean; 3 when a file is missing or unreadable; 4 when a \
            file is not a WIBL file, or is damaged (truncated, unknown or corrupt packets — the summary \
            of what could be read is still printed).
            """
    )

    @Argument(help: "WIBL files to inspect.", completion: .file(extensions: ["wibl"]))
    var files: [String]

    @Flag(name: .long, help: "Print one JSON object per file, one per line.")
    var json = false

    @Flag(name: .long, help: "Stop at the first damaged packet instead of skipping it.")
    var strict = false

    func run() async throws {
        var worst = WIBLExitCode.success
        for path in files {
            let bytes: ByteBuffer
            do {
                bytes = try ByteBuffer(contentsOfFile: path)
            } catch {
                report(path, error: "\(error)")
                worst = worse(worst, WIBLExitCode.ioError)
                continue
            }
            let file: WIBLFile
            do {
                file = try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: strict))
            } catch {
                report(path, error: error.description)
                worst = worse(worst, WIBLExitCode.notWIBL)
                continue
            }
            let summary = FileSummary(file)
            if json {
                print(jsonLine(path, summary).serialized())
            } else {
                print(text(path, summary))
            }
            if !summary.problems.isEmpty { worst = worse(worst, WIBLExitCode.notWIBL) }
        }
        if worst != WIBLExitCode.success { throw worst }
    }

    private func worse(_ a: ExitCode, _ b: ExitCode) -> ExitCode { a.rawValue >= b.rawValue ? a : b }

    private func report(_ path: String, error: String) {
        if json {
            print(JSONValue.object(["file": .string(path), "errors": [.string(error)]]).serialized())
        }
        writeStandardError("Error: \(path): \(error)\n")
    }

    private func text(_ path: String, _ s: FileSummary) -> String {
        var lines = ["\(path) (\(s.byteCount) bytes)"]
        if let v = s.version {
            lines.append(
                "  serialiser version  \(v.major).\(v.minor) (NMEA2000 logger \(v.nmea2000), NMEA0183 logger \(v.nmea0183), IMU \(v.imu))"
            )
        }
        lines.append(
            "  logger / ship       \(s.metadata.map { "\($0.loggerName) / \($0.shipName)" } ?? "(no Metadata packet)")")
        lines.append("  JSON metadata       \(s.hasJSONMetadata ? "present" : "none")")
        let algorithms = s.algorithms.map { $0.parameters.isEmpty ? $0.name : "\($0.name) (\($0.parameters))" }
        lines.append("  algorithms          \(algorithms.isEmpty ? "none" : algorithms.joined(separator: ", "))")
        if let r = s.elapsedRange {
            lines.append(
                "  elapsed time        \(r.lowerBound) … \(r.upperBound) ms (\(format(Double(r.upperBound - r.lowerBound) / 1000, 1)) s)"
            )
        }
        lines.append("  packets")
        for type in s.packetCounts.keys.sorted() {
            lines.append("    " + type.name.padding(20) + String(s.packetCounts[type] ?? 0))
        }
        if !s.talkerSentenceCounts.isEmpty {
            lines.append("  NMEA0183 sentences")
            for name in s.talkerSentenceCounts.keys.sorted() {
                lines.append("    " + name.padding(20) + String(s.talkerSentenceCounts[name] ?? 0))
            }
        }
        if !s.problems.isEmpty {
            lines.append("  problems (\(s.problems.count))")
            for problem in s.problems.prefix(20) { lines.append("    \(problem)") }
        }
        return lines.joined(separator: "\n")
    }

    private func jsonLine(_ path: String, _ s: FileSummary) -> JSONValue {
        var object = JSONObject()
        object["file"] = .string(path)
        object["bytes"] = .integer(Int64(s.byteCount))
        object["version"] = s.version.map { .string("\($0.major).\($0.minor)") } ?? .null
        object["logger"] = s.metadata.map { .string($0.loggerName) } ?? .null
        object["ship"] = s.metadata.map { .string($0.shipName) } ?? .null
        object["jsonMetadata"] = .bool(s.hasJSONMetadata)
        object["algorithms"] = .array(
            s.algorithms.map { .object(["name": .string($0.name), "parameters": .string($0.parameters)]) })
        object["elapsed"] =
            s.elapsedRange.map { .array([.integer(Int64($0.lowerBound)), .integer(Int64($0.upperBound))]) } ?? .null
        var packets = JSONObject()
        for type in s.packetCounts.keys.sorted() { packets[type.name] = .integer(Int64(s.packetCounts[type] ?? 0)) }
        object["packets"] = .object(packets)
        var sentences = JSONObject()
        for name in s.sentenceCounts.keys.sorted() { sentences[name] = .integer(Int64(s.sentenceCounts[name] ?? 0)) }
        object["nmea0183"] = .object(sentences)
        var talkers = JSONObject()
        for name in s.talkerSentenceCounts.keys.sorted() {
            talkers[name] = .integer(Int64(s.talkerSentenceCounts[name] ?? 0))
        }
        object["nmea0183Talkers"] = .object(talkers)
        object["errors"] = .array(s.problems.map { .string($0.description) })
        return .object(object)
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
