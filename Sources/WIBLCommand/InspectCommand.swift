import ArgumentParser
import JSONValue
import NIOCore
import WIBLBundle
import WIBLConversion
import WIBLFormat

/// `wibl inspect`: what is inside logger files.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a WIBL file contains: version, logger, metadata, algorithms, packet counts, damage.",
        discussion: """
            Exit status (the highest over the files): 0 when every file is clean; 3 when a file is \
            missing or unreadable; 4 when a file is not a WIBL file, or is damaged (truncated, unknown \
            or corrupt packets — the summary of what could be read is still printed).
            """
    )

    @Argument(help: "WIBL files to inspect.", completion: .file(extensions: ["wibl"]))
    var files: [String]

    @Flag(name: .long, help: "Print one JSON object, with an entry per file in \"files\".")
    var json = false

    @Flag(name: .long, help: "Stop at the first damaged packet instead of skipping it.")
    var strict = false

    func run() async throws {
        try await reportingErrors(json: json ? ["files": []] : nil) { try inspectAll() }
    }

    private func inspectAll() throws {
        var failures: [ExitCode] = []
        var entries: [JSONValue] = []
        for path in files {
            if LoggerBundle.isBundleName(path) {
                failures += inspectBundle(path, into: &entries)  // InspectCommand+Bundle.swift
                continue
            }
            do {
                let bytes = try ByteBuffer(contentsOfFile: path)
                let file = try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: strict))
                let summary = FileSummary(file)
                if json {
                    entries.append(jsonLine(path, summary))
                } else {
                    print(text(path, summary))
                }
                // A damaged file is still summarised, and still a failure.
                if !summary.problems.isEmpty { failures.append(WIBLExitCode.notWIBL) }
            } catch {
                if json { entries.append(.object(["file": .string(path), "errors": [.string("\(error)")]])) }
                writeStandardError("Error: \(path): \(error)\n")
                failures.append(WIBLExitCode.exitCode(for: error))
            }
        }
        if json { print(JSONValue.object(["files": .array(entries)]).serialized()) }
        let code = WIBLExitCode.exitCode(for: failures)
        if code != WIBLExitCode.success { throw code }
    }

    func text(_ path: String, _ s: FileSummary) -> String {
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

    func jsonLine(_ path: String, _ s: FileSummary) -> JSONValue {
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
