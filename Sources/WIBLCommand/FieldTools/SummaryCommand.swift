import ArgumentParser
import B12Validation
import JSONValue
import NIOCore
import S3
import WIBLBundle
import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// `wibl summary`: how much the fleet logged, per vessel, and which files would fail validation.
struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise logger files and GeoJSON outputs per vessel: files, soundings, hours, nautical miles.",
        discussion: """
            Inputs are .wibl logger files, B-12 GeoJSON outputs (.geojson, .json), logger bundles (.tgz), \
            folders (searched recursively for *.wibl, *.geojson and *.tgz) and s3://bucket/prefix locations \
            (every such object under the prefix). Per vessel it prints the files, soundings, hours (the sum \
            of each file's first-to-last sounding span), nautical miles (the sum of great-circle distances \
            between consecutive soundings in time order, leaving out jumps faster than 50 knots), depth range and first and last time; then the totals, and \
            the files that would fail B-12 validation (or could not be converted) and why. Logger files \
            are converted in memory as `wibl convert` would (--config, --provider-id). Exit status: 0 when \
            every input was read (even if some would fail validation); otherwise the highest code of the \
            files that could not be read (3), decoded (4), processed (5) or parsed as GeoJSON (7); 8/9 \
            for S3 failures.
            """
    )

    @Argument(help: "Files, folders or s3://bucket/prefix locations.")
    var inputs: [String]

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @Flag(name: .long, help: "Print CSV: one row per vessel and a TOTAL row.")
    var csv = false

    @Option(name: .long, help: "Processing configuration for .wibl inputs (JSON).")
    var config: String?

    @Option(name: .long, help: "Provider id for .wibl inputs (default: PROVIDER_ID, the configuration, else UNKNOWN).")
    var providerID: String?

    @OptionGroup
    var s3: S3Options

    func validate() throws {
        if json && csv { throw ValidationError("give --json or --csv, not both.") }
    }

    func run() async throws {
        try await reportingErrors(json: json ? ["vessels": [], "invalid": []] : nil) { try await summariseAll() }
    }

    private func summariseAll() async throws {
        let provider = providerID ?? Environment.nonEmpty("PROVIDER_ID")
        let configuration = try ConfigurationLoader.load(config ?? Environment.nonEmpty("WIBL_CONFIG_FILE"))
        let settings = try loadSettings(
            configPath: config, providerID: provider ?? configuration.providerID ?? "UNKNOWN", strict: false)
        var report = SummaryReport()
        for input in inputs {
            if let location = S3Location(input) {
                report.add(try await summariseS3(location, settings: settings))
                continue
            }
            for file in try localFiles(input) {
                do {
                    let bytes = try ByteBuffer(contentsOfFile: file)
                    report.add(SummaryReader.read(bytes, source: file, settings: settings))
                } catch {
                    report.add([.failed(source: file, reason: "\(error)", code: WIBLExitCode.exitCode(for: error))])
                }
            }
        }
        for (source, reason) in report.failures { writeStandardError("Error: \(source): \(reason)\n") }
        if json {
            print(report.json.serialized())
        } else if csv {
            print(report.csv, terminator: "")
        } else {
            print(report.text, terminator: "")
        }
        // Files that would fail validation are the report, not a failure; unreadable ones are.
        let code = WIBLExitCode.exitCode(for: report.failureCodes)
        if code != WIBLExitCode.success { throw code }
    }

    /// A file as is, or a folder's `*.wibl`, `*.geojson` and `*.tgz` files, sorted.
    func localFiles(_ input: String) throws -> [String] {
        // A missing input is that input's failure (reported when it is read), not the run's.
        guard FileSystem.isFolder(input) else { return [input] }
        var files: [String] = []
        for ext in [".wibl", ".geojson", ".tgz"] { files += try InputFiles.expand([input], extension: ext) }
        return files.sorted()
    }

    /// Every `.wibl`, `.geojson`, `.json` and `.tgz` object under the location's prefix.
    ///
    /// - Throws: ``S3Error`` when the listing or a download fails (an object too large is that
    ///   object's failure).
    func summariseS3(
        _ location: S3Location, settings: (ProcessingConfiguration, GeoJSONSettings)
    ) async throws -> [SummaryEntry] {
        try await s3.withClient { client in
            try await summariseS3(location, client: client, settings: settings)
        }
    }

    func summariseS3(
        _ location: S3Location, client: S3Client, settings: (ProcessingConfiguration, GeoJSONSettings)
    ) async throws -> [SummaryEntry] {
        var entries: [SummaryEntry] = []
        let listing = try await client.listAllObjects(
            bucket: location.bucket, prefix: location.key.isEmpty ? nil : location.key)
        for object in listing.objects.sorted(by: { $0.key < $1.key }) {
            let lower = object.key.lowercased()
            guard [".wibl", ".geojson", ".json", ".tgz"].contains(where: { lower.hasSuffix($0) }) else { continue }
            let source = "s3://\(location.bucket)/\(object.key)"
            do {
                let body = try await client.getObject(
                    bucket: location.bucket, key: object.key, collectUpTo: SummaryReader.maximumObjectBytes
                ).body
                entries += SummaryReader.read(body, source: source, settings: settings)
            } catch let error as S3Error {
                guard case .bodyTooLarge = error else { throw error }
                entries.append(.failed(source: source, reason: "\(error)", code: WIBLExitCode.ioError))
            }
        }
        return entries
    }
}

/// What reading one input gave: a tally (with its validation problems, if any), or a failure.
enum SummaryEntry: Sendable {
    /// A file that was read; `problems` is empty when it passes B-12 validation.
    case read(FileTally, problems: [String])
    /// A file that could not be read or converted, and the exit code of that failure.
    case failed(source: String, reason: String, code: ExitCode)
}

/// Reads inputs for the summary.
enum SummaryReader {
    /// The largest S3 object read (a logger file is ~10 MiB; a bundle holds many).
    static let maximumObjectBytes = 512 << 20

    /// Reads one file (by name: GeoJSON, a bundle, or a `.wibl` file) into entries.
    static func read(
        _ bytes: ByteBuffer, source: String, settings: (ProcessingConfiguration, GeoJSONSettings)
    ) -> [SummaryEntry] {
        if TrackSource.isGeoJSONName(source) {
            return [readGeoJSON(bytes.readableBytesView, source: source)]
        }
        if LoggerBundle.isBundleName(source) {
            let bundle: LoggerBundle
            do {
                bundle = try LoggerBundle(compressed: Array(bytes.readableBytesView), limits: BundleInput.limits)
            } catch {
                return [.failed(source: source, reason: error.description, code: WIBLExitCode.notWIBL)]
            }
            var entries: [SummaryEntry] = []
            let (warnings, error) = BundleInput.forEachWIBLMember(bundle, path: source) { name, member in
                entries.append(readWIBL(member, source: name, settings: settings))
                return true
            }
            for warning in warnings { writeStandardError("warning: \(source): \(warning)\n") }
            if let error {
                entries.append(.failed(source: source, reason: error.description, code: WIBLExitCode.notWIBL))
            }
            return entries
        }
        return [readWIBL(bytes, source: source, settings: settings)]
    }

    /// A GeoJSON output: its soundings, and the validator's findings.
    static func readGeoJSON(_ bytes: some Collection<UInt8>, source: String) -> SummaryEntry {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            return .failed(source: source, reason: "not JSON: \(error.description)", code: WIBLExitCode.invalidGeoJSON)
        }
        do {
            let track = try TrackSource.track(fromGeoJSON: document, source: source)
            return .read(FileTally(track), problems: B12Validator.check(document).map(\.description))
        } catch {
            return .failed(source: source, reason: "\(error)", code: WIBLExitCode.invalidGeoJSON)
        }
    }

    /// A logger file: converted in memory as `wibl convert` would, then read as GeoJSON.
    static func readWIBL(
        _ bytes: ByteBuffer, source: String, settings: (ProcessingConfiguration, GeoJSONSettings)
    ) -> SummaryEntry {
        var sink = MemorySink()
        do {
            _ = try WIBLConversion.convert(
                bytes, fileName: source, configuration: settings.0, settings: settings.1, nowMicroseconds: 0,
                to: &sink)
        } catch {
            return .failed(source: source, reason: error.description, code: WIBLExitCode.exitCode(for: error))
        }
        return readGeoJSON(Array(sink.buffer.readableBytesView), source: source)
    }
}

/// The whole summary: per vessel, totals, and the files with problems.
struct SummaryReport: Sendable {
    /// Per-vessel totals, in order of first appearance.
    var vessels: [VesselTotals] = []
    /// Files that would fail validation, with the reasons.
    var invalid: [(source: String, reasons: [String])] = []
    /// Files that could not be read or converted (also listed in ``invalid``), and why.
    var failures: [(source: String, reason: String)] = []
    /// The exit code of each of those failures.
    var failureCodes: [ExitCode] = []

    /// Adds what one input gave.
    mutating func add(_ entries: [SummaryEntry]) {
        for entry in entries {
            switch entry {
            case .read(let tally, let problems):
                if let index = vessels.firstIndex(where: { $0.vesselID == tally.vesselID }) {
                    vessels[index].add(tally)
                } else {
                    var totals = VesselTotals(vesselID: tally.vesselID)
                    totals.add(tally)
                    vessels.append(totals)
                }
                if !problems.isEmpty { invalid.append((tally.source, problems)) }
            case .failed(let source, let reason, let code):
                failures.append((source, reason))
                failureCodes.append(code)
                invalid.append((source, [reason]))
            }
        }
    }

    /// The fleet's totals.
    var totals: VesselTotals {
        var total = VesselTotals(vesselID: "TOTAL")
        for vessel in vessels { total.add(vessel) }
        return total
    }

    var json: JSONValue {
        func row(_ v: VesselTotals) -> JSONValue {
            var o = JSONObject()
            o["vessel"] = .string(v.vesselID)
            o["files"] = .integer(Int64(v.files))
            o["soundings"] = .integer(Int64(v.soundings))
            o["hours"] = .double(rounded(v.hours, 3))
            o["nauticalMiles"] = .double(rounded(v.nauticalMiles, 3))
            o["minDepth"] = v.depthRange.map { .double($0.lowerBound) } ?? .null
            o["maxDepth"] = v.depthRange.map { .double($0.upperBound) } ?? .null
            o["first"] = v.timeRange.flatMap { B12Time.format($0.lowerBound) }.map(JSONValue.string) ?? .null
            o["last"] = v.timeRange.flatMap { B12Time.format($0.upperBound) }.map(JSONValue.string) ?? .null
            return .object(o)
        }
        var root = JSONObject()
        root["vessels"] = .array(vessels.map(row))
        root["totals"] = row(totals)
        root["invalid"] = .array(
            invalid.map { .object(["file": .string($0.source), "reasons": .array($0.reasons.map(JSONValue.string))]) })
        return .object(root)
    }

    var csv: String {
        var lines = ["vessel,files,soundings,hours,nautical_miles,min_depth_m,max_depth_m,first,last"]
        for v in vessels + [totals] {
            let fields = [
                v.vesselID, String(v.files), String(v.soundings), format(v.hours, 3), format(v.nauticalMiles, 3),
                v.depthRange.map { format($0.lowerBound, 2) } ?? "",
                v.depthRange.map { format($0.upperBound, 2) } ?? "",
                v.timeRange.flatMap { B12Time.format($0.lowerBound) } ?? "",
                v.timeRange.flatMap { B12Time.format($0.upperBound) } ?? "",
            ]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var text: String {
        var out = ""
        for v in vessels + [totals] {
            out += v.vesselID == "TOTAL" ? "Total\n" : "\(v.vesselID)\n"
            out +=
                "  files \(v.files), soundings \(v.soundings), \(format(v.hours, 2)) h, \(format(v.nauticalMiles, 2)) NM\n"
            if let d = v.depthRange { out += "  depth \(format(d.lowerBound, 2)) … \(format(d.upperBound, 2)) m\n" }
            if let t = v.timeRange, let first = B12Time.format(t.lowerBound), let last = B12Time.format(t.upperBound) {
                out += "  from \(first) to \(last)\n"
            }
        }
        if invalid.isEmpty {
            out += "Every file passes B-12 validation.\n"
        } else {
            out += "\(invalid.count) file(s) would fail validation:\n"
            for entry in invalid {
                out += "  \(entry.source)\n"
                for reason in entry.reasons.prefix(10) { out += "    - \(reason)\n" }
                if entry.reasons.count > 10 { out += "    - … and \(entry.reasons.count - 10) more\n" }
            }
        }
        return out
    }

    private func rounded(_ value: Double, _ digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    private func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for c in text { quoted += c == "\"" ? "\"\"" : String(c) }
        return quoted + "\""
    }
}
