import ArgumentParser
import JSONValue
import NIOCore
import WIBLBundle
import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// `wibl convert`: logger files → B-12 GeoJSON, one task per file, on every core.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert WIBL logger files (.wibl) to IHO B-12 GeoJSON.",
        discussion: """
            Each input is a .wibl file or a folder, searched recursively for *.wibl files. Each file \
            becomes NAME.geojson beside it, in --output-dir (keeping the folder layout), or at -o FILE for \
            a single input. Output files appear only when complete; a file that fails leaves nothing \
            behind and does not stop the others.
            """
    )

    @Argument(help: "Logger files or folders to convert.", completion: .file(extensions: ["wibl"]))
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file (only with a single input file).")
    var output: String?

    @Option(name: .long, help: "Write the GeoJSON files into this folder.")
    var outputDir: String?

    @Option(name: .long, help: "Processing configuration (JSON). Default: WIBL_CONFIG_FILE, else the built-in one.")
    var config: String?

    @Option(name: .long, help: "Trusted-node provider id that prefixes vessel ids (default: PROVIDER_ID).")
    var providerID: String?

    @Option(name: .shortAndLong, help: "Files converted at once (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Refuse a file at its first damaged packet instead of skipping the packet.")
    var strict = false

    @Flag(name: .long, help: "Print a machine-readable summary (one JSON object) instead of text.")
    var json = false

    @Flag(
        name: .long,
        help:
            "Accurate mode (\"mode\": \"accurate\"): better soundings than the original; see README, \"Reference and accurate mode\"."
    )
    var accurate = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
        if output != nil && outputDir != nil { throw ValidationError("give either -o or --output-dir, not both.") }
        if output != nil && inputs.contains(where: LoggerBundle.isBundleName) {
            throw ValidationError("a bundle gives one file per wibl-raw.N member: use --output-dir, not -o.")
        }
    }

    func run() async throws {
        let base: JSONObject? =
            json ? ["converted": 0, "failed": 0, "soundings": 0, "seconds": 0.0, "files": []] : nil
        try await reportingErrors(json: base) { try await convertAll() }
    }

    private func convertAll() async throws {
        let start = SystemClock.monotonicSeconds()
        var loaded = try loadSettings(configPath: config, providerID: providerID, strict: strict)
        if accurate { loaded.0.mode = .accurate }
        let settings = loaded
        let files = try plan()
        let bundles = inputs.filter(LoggerBundle.isBundleName)  // logger bundles: BundleInput.swift
        if files.isEmpty && bundles.isEmpty { throw InputFilesError.noFiles(inputs: inputs, extension: ".wibl") }
        let width = min(jobs ?? coreCount(), files.count)
        var progress = ProgressBar(total: files.count)
        var outcomes = [FileOutcome?](repeating: nil, count: files.count)
        await withTaskGroup(of: (Int, FileOutcome).self) { group in
            var next = 0
            func addTask() {
                let index = next
                let file = files[index]
                next += 1
                group.addTask { (index, convertOne(file.input, to: file.output, settings: settings)) }
            }
            while next < width { addTask() }
            for await (index, outcome) in group {
                outcomes[index] = outcome
                progress.advance(label: outcome.input)
                if next < files.count, !Task.isCancelled { addTask() }
            }
        }
        var results = outcomes.compactMap { $0 }
        for bundle in bundles { results += BundleInput.convert(bundle, outputDir: outputDir, settings: settings) }
        let seconds = SystemClock.monotonicSeconds() - start
        if json {
            print(summaryJSON(results, seconds: seconds).serialized())
        } else {
            printSummary(results, seconds: seconds)
        }
        let code = WIBLExitCode.exitCode(for: results.compactMap { $0.error == nil ? nil : $0.exitCode })
        if code != WIBLExitCode.success { throw code }
    }

    /// Inputs → (input, output) pairs.
    func plan() throws -> [(input: String, output: String)] {
        var result: [(String, String)] = []
        for input in inputs where !LoggerBundle.isBundleName(input) {
            var info = stat()
            // A missing input is that file's failure (reported when it is read), not the batch's.
            let isMissing = stat(input, &info) != 0
            let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
            let files = isMissing ? [input] : try InputFiles.expand([input], extension: ".wibl")
            for file in files {
                let target: String
                if let output {
                    guard inputs.count == 1, !isFolder else {
                        throw ValidationError("-o FILE needs exactly one input file; use --output-dir for several.")
                    }
                    target = output
                } else if let outputDir {
                    let relative: String
                    if isFolder {
                        let base = input.hasSuffix("/") ? input : input + "/"
                        relative = file.hasPrefix(base) ? String(file.dropFirst(base.count)) : lastPathComponent(file)
                    } else {
                        relative = lastPathComponent(file)
                    }
                    target = (outputDir.hasSuffix("/") ? outputDir : outputDir + "/") + geojsonName(relative)
                } else {
                    target = geojsonName(file)
                }
                result.append((file, target))
            }
        }
        return result
    }

    func printSummary(_ results: [FileOutcome], seconds: Double) {
        var soundings = 0
        var bytes = 0
        var leftOut = SoundingsLeftOut()
        for outcome in results {
            if let error = outcome.error {
                writeStandardError("FAILED \(outcome.input): \(error)\n")
            } else {
                soundings += outcome.soundings
                bytes += outcome.inputBytes
                for (reason, count) in outcome.leftOut.entries { leftOut[reason] += count }
                for warning in outcome.warnings { writeStandardError("warning: \(outcome.input): \(warning)\n") }
            }
        }
        let ok = results.count { $0.error == nil }
        let rate = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
        var line = "Converted \(ok) of \(results.count) file(s): \(soundings) soundings in \(format(seconds, 2)) s"
        line += " (\(format(rate, 1)) MB/s)"
        if ok < results.count { line += "; \(results.count - ok) failed" }
        print(line + ".")
        if leftOut.total > 0 { print("Left out \(leftOut.total) soundings: \(leftOut).") }
    }

    func summaryJSON(_ results: [FileOutcome], seconds: Double) -> JSONValue {
        var root = JSONObject()
        root["converted"] = .integer(Int64(results.count { $0.error == nil }))
        root["failed"] = .integer(Int64(results.count { $0.error != nil }))
        root["soundings"] = .integer(Int64(results.reduce(0) { $0 + $1.soundings }))
        var leftOut = SoundingsLeftOut()
        for outcome in results { for (reason, count) in outcome.leftOut.entries { leftOut[reason] += count } }
        root["leftOut"] = leftOutJSON(leftOut)
        root["seconds"] = .double(seconds)
        root["files"] = .array(results.map(\.json))
        return .object(root)
    }
}

/// What happened to one file.
struct FileOutcome: Sendable {
    var input: String
    var output: String?
    var inputBytes = 0
    var soundings = 0
    var summary: GeoJSONSummary?
    var warnings: [String] = []
    var leftOut = SoundingsLeftOut()
    var error: String?
    var errorClass: String?
    var exitCode = WIBLExitCode.success

    var json: JSONValue {
        var entry = JSONObject()
        entry["file"] = .string(input)
        entry["output"] = output.map(JSONValue.string) ?? .null
        entry["soundings"] = .integer(Int64(soundings))
        entry["leftOut"] = leftOutJSON(leftOut)
        if let summary, summary.features > 0 {
            entry["start"] = B12Time.format(summary.startTime).map(JSONValue.string) ?? .null
            entry["end"] = B12Time.format(summary.endTime).map(JSONValue.string) ?? .null
            entry["bbox"] = .array([
                .double(summary.bbox.west), .double(summary.bbox.south), .double(summary.bbox.east),
                .double(summary.bbox.north),
            ])
        } else {
            entry["start"] = .null
            entry["end"] = .null
            entry["bbox"] = .null
        }
        entry["error"] = error.map(JSONValue.string) ?? .null
        entry["errorClass"] = errorClass.map(JSONValue.string) ?? .null
        entry["warnings"] = .array(warnings.map(JSONValue.string))
        return .object(entry)
    }
}

/// Reads, converts and writes one file; never throws: failures are in the outcome.
func convertOne(_ input: String, to output: String, settings: (ProcessingConfiguration, GeoJSONSettings)) -> FileOutcome
{
    do {
        return convertBytes(try ByteBuffer(contentsOfFile: input), input: input, to: output, settings: settings)
    } catch {
        return FileOutcome(failing: input, error)
    }
}

/// Converts the bytes of one logger file (a file, or a member of a bundle) into `output`.
func convertBytes(
    _ bytes: ByteBuffer, input: String, to output: String, settings: (ProcessingConfiguration, GeoJSONSettings)
) -> FileOutcome {
    var outcome = FileOutcome(input: input)
    outcome.inputBytes = bytes.readableBytes
    do {
        if let slash = output.lastIndex(of: "/") { try FileSystem.makeFolders(String(output[..<slash])) }
        let result = try AtomicFile.write(to: output) { sink in
            try WIBLConversion.convert(
                bytes, fileName: lastPathComponent(input), configuration: settings.0, settings: settings.1,
                nowMicroseconds: SystemClock.wallMicroseconds(), to: &sink)
        }
        outcome.output = output
        outcome.soundings = result.summary.features
        outcome.summary = result.summary
        outcome.warnings = result.warnings
        outcome.leftOut = result.leftOut
    } catch {
        outcome = FileOutcome(failing: input, error)
        outcome.inputBytes = bytes.readableBytes
    }
    return outcome
}

extension FileOutcome {
    /// The outcome of a file that failed with `error`, classified by the exit-code policy.
    init(failing input: String, _ error: any Error) {
        self.init(input: input)
        self.error = "\(error)"
        errorClass = WIBLExitCode.errorClass(for: error)
        exitCode = WIBLExitCode.exitCode(for: error)
    }
}

/// `{"total": n, "no-data": n, …}`: soundings accurate mode left out, by reason.
func leftOutJSON(_ leftOut: SoundingsLeftOut) -> JSONValue {
    var object = JSONObject()
    object["total"] = .integer(Int64(leftOut.total))
    for (reason, count) in leftOut.entries { object[reason.rawValue] = .integer(Int64(count)) }
    return .object(object)
}

/// `x.wibl` → `x.geojson`; other names get `.geojson` appended.
func geojsonName(_ path: String) -> String {
    path.lowercased().hasSuffix(".wibl") ? String(path.dropLast(5)) + ".geojson" : path + ".geojson"
}

func coreCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}
