import ArgumentParser
import JSONValue
import NIOCore
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLSystem

/// `wibl bench`: end-to-end conversion throughput and memory, measured on simulated files, optionally
/// side by side with another `wibl` binary.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure conversion speed (MB/s, soundings/s), peak memory and the multi-core speed-up.",
        discussion: """
            Simulates mixed NMEA2000/NMEA0183 files of the given sizes and a file with a hostile JSON metadata \
            packet (many keys), converts each with `wibl convert` in a child process (decode → process → GeoJSON \
            written to disk) and reports the median wall time, input MB/s, soundings/s and the child's peak \
            resident memory. Then converts a batch of files with one job and with one job per core. With \
            --baseline, every case also runs with that other wibl binary, the two alternating run by run, and \
            the ratios are printed. Build with -c release for real figures.
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "File sizes in MB.")
    var sizes: [Double] = [1, 10, 50]

    @Option(name: .long, help: "Number of files in the batch run.")
    var batchFiles = 12

    @Option(name: .long, help: "Size of each batch file in MB.")
    var batchSize = 10.0

    @Option(name: .long, help: "Runs per case and binary (the median is reported).")
    var repeats = 5

    @Option(name: .long, help: "Another wibl binary to run the same cases with, alternating, for ratios.")
    var baseline: String?

    @Option(name: .long, help: "Runs of the baseline on the hostile-metadata cases (they can be very slow).")
    var baselineHostileRuns = 1

    @Option(name: .long, help: "Keys in the hostile JSON metadata packet (0 skips the hostile cases).")
    var hostileKeys = 200_000

    @Option(name: .long, help: "Size of the hostile JSON metadata packet in MB.")
    var hostileSize = 4.0

    @Option(name: .long, help: "Working folder (default: a new folder under /tmp, removed afterwards).")
    var workDir: String?

    func validate() throws {
        guard sizes.allSatisfy({ $0 > 0 }), batchFiles >= 1, batchSize > 0, repeats >= 1, hostileKeys >= 0,
            hostileSize > 0, baselineHostileRuns >= 0
        else {
            throw ValidationError("sizes, --batch-files, --batch-size, --repeats and --hostile-size must be positive.")
        }
    }

    func run() async throws {
        guard let wibl = currentExecutablePath() else {
            throw SystemError("find the running wibl executable at", path: "/proc/self/exe")
        }
        if let baseline, access(baseline, X_OK) != 0 {
            throw CommandFailure("the baseline '\(baseline)' is not an executable file.")
        }
        let folder = workDir ?? "/tmp/wibl-bench-\(getpid())"
        try FileSystem.makeFolders(folder + "/batch")
        defer { if workDir == nil { _ = removeTree(folder) } }
        print("wibl bench: \(coreCount()) core(s), working in \(folder)")
        print("this:     \(wibl)")
        if let baseline { print("baseline: \(baseline)") }
        print("")

        var cases: [BenchCase] = []
        for (index, size) in sizes.enumerated() {
            let input = "\(folder)/bench-\(index).wibl"
            let bytes = try simulate(megabytes: size, seed: UInt64(index + 1), to: input)
            cases.append(
                BenchCase(
                    name: "convert \(format(Double(bytes) / 1e6, 1)) MB", inputBytes: bytes,
                    arguments: { out in
                        ["convert", input, "-o", "\(out)/bench-\(index).geojson", "--provider-id", "BENCH"]
                    },
                    countSoundings: true))
        }
        if hostileKeys > 0 {
            let hostile = "\(folder)/hostile.wibl"
            let hostileBytes = try simulate(
                megabytes: 0.02, seed: 7,
                jsonMetadata: hostileMetadata(keys: hostileKeys, bytes: Int(hostileSize * 1e6)),
                to: hostile)
            let plain = "\(folder)/hostile-string.wibl"
            let plainBytes = try simulate(
                megabytes: 0.02, seed: 7, jsonMetadata: longStringMetadata(bytes: Int(hostileSize * 1e6)), to: plain)
            let normal = "\(folder)/hostile-normal.wibl"
            let normalBytes = try simulate(megabytes: Double(hostileBytes) / 1e6, seed: 8, to: normal)
            for (name, path, bytes, slow) in [
                ("hostile metadata (\(hostileKeys) keys)", hostile, hostileBytes, true),
                ("same packet, one string", plain, plainBytes, true),
                ("normal file, same size", normal, normalBytes, false),
            ] {
                cases.append(
                    BenchCase(
                        name: name, inputBytes: bytes,
                        arguments: { out in ["convert", path, "-o", "\(out)/hostile.geojson", "--provider-id", "BENCH"]
                        },
                        countSoundings: false, baselineRuns: slow ? baselineHostileRuns : nil))
            }
        }
        var total = 0
        for i in 0..<batchFiles {
            total += try simulate(megabytes: batchSize, seed: UInt64(100 + i), to: "\(folder)/batch/file-\(i).wibl")
        }
        for jobs in Set([1, coreCount()]).sorted() {
            cases.append(
                BenchCase(
                    name: "batch \(batchFiles) × \(format(batchSize, 1)) MB, --jobs \(jobs)", inputBytes: total,
                    arguments: { out in
                        [
                            "convert", "\(folder)/batch", "--output-dir", "\(out)/batch-out", "--provider-id", "BENCH",
                            "--jobs", "\(jobs)",
                        ]
                    },
                    countSoundings: false))
        }

        var binaries = [("this", wibl)]
        if let baseline { binaries.append(("baseline", baseline)) }
        var results: [[BenchResult]] = []
        for benchCase in cases {
            var row: [BenchResult] = binaries.map { _ in BenchResult() }
            for run in 0..<repeats {
                // Alternate which binary goes first, so that drift in the machine's load hits both.
                let order = run % 2 == 0 ? Array(binaries.indices) : Array(binaries.indices.reversed())
                for b in order {
                    if b > 0, let limit = benchCase.baselineRuns, run >= limit { continue }
                    let out = "\(folder)/out-\(b)"
                    try FileSystem.makeFolders(out)
                    let usage = try runMeasured(
                        binaries[b].1, benchCase.arguments(out) + (b == 0 ? ["--json"] : []),
                        stdoutPath: b == 0 ? "\(folder)/summary.json" : "/dev/null")
                    guard usage.status == 0 else {
                        throw CommandFailure("\(benchCase.name) failed with \(binaries[b].0) (exit \(usage.status)).")
                    }
                    row[b].seconds.append(usage.seconds)
                    row[b].peakRSS.append(usage.peakRSSBytes)
                    if b == 0, benchCase.countSoundings, row[0].soundings == nil {
                        row[0].soundings = try soundingsIn("\(folder)/summary.json")
                    }
                    _ = removeTree(out)
                }
            }
            results.append(row)
            printRow(benchCase, row, names: binaries.map(\.0))
        }

        print("")
        print("summary (medians of \(repeats) runs; spread = (max − min) / median)")
        for (benchCase, row) in zip(cases, results) where binaries.count > 1 {
            guard let ours = row[0].medianSeconds, let theirs = row[1].medianSeconds else { continue }
            print(
                "  \(benchCase.name.padding(42))speed-up \(format(theirs / ours, 2))×   peak RSS \(format(Double(row[0].medianRSS) / 1e6, 1)) MB vs \(format(Double(row[1].medianRSS) / 1e6, 1)) MB"
            )
        }
        let batchRows = zip(cases, results).filter { $0.0.name.hasPrefix("batch") }
        if batchRows.count == 2 {
            for (b, name) in binaries.map(\.0).enumerated() {
                guard let one = batchRows[0].1[b].medianSeconds, let all = batchRows[1].1[b].medianSeconds else {
                    continue
                }
                print("  batch speed-up --jobs 1 → --jobs \(coreCount()) (\(name)): \(format(one / all, 2))×")
            }
        }
        for (benchCase, row) in zip(cases, results) where benchCase.name.hasPrefix("convert") {
            let limit = 1.5 * Double(benchCase.inputBytes) + 16e6
            let rss = Double(row[0].medianRSS)
            print(
                "  \(benchCase.name): peak RSS \(format(rss / 1e6, 1)) MB, target ≤ 1.5 × input + 16 MB = \(format(limit / 1e6, 1)) MB: \(rss <= limit ? "met" : "NOT met")"
            )
        }
    }

    private func printRow(_ benchCase: BenchCase, _ row: [BenchResult], names: [String]) {
        let mb = Double(benchCase.inputBytes) / 1e6
        print("\(benchCase.name)  (input \(format(mb, 1)) MB)")
        for (b, result) in row.enumerated() {
            guard let median = result.medianSeconds else { continue }
            var line = "  \(names[b].padding(10))wall \(format(median, 3)) s (n=\(result.seconds.count), spread "
            line += "\(format(result.spread * 100, 0)) %)  \(format(mb / median, 1)) MB/s"
            if let soundings = result.soundings { line += "  \(Int(Double(soundings) / median)) soundings/s" }
            line += "  peak RSS \(format(Double(result.medianRSS) / 1e6, 1)) MB"
            line += " (\(format(Double(result.medianRSS) / Double(benchCase.inputBytes), 2))× input)"
            if b > 0, let ours = row[0].medianSeconds {
                line += "  → this is \(format(median / ours, 2))× faster"
            }
            print(line)
        }
    }

    /// Writes a simulated file of about `megabytes` (plus the metadata) and returns its size.
    private func simulate(megabytes: Double, seed: UInt64, jsonMetadata: String? = nil, to path: String) throws -> Int {
        var options = SimulatorOptions()
        options.sources = .mixed
        options.seed = seed
        options.durationSeconds = max(10, megabytes * 1e6 / 325)  // a mixed file grows by about 325 bytes per second
        options.jsonMetadata = jsonMetadata
        var simulator = WIBLSimulator(options: options)
        return try AtomicFile.write(to: path, durable: false) { sink in
            try simulator.write { chunk in try sink.write(Array(chunk.readableBytesView)) }
            return sink.bytesWritten
        }
    }

    private func soundingsIn(_ path: String) throws -> Int {
        let summary = try JSONValue.parse(try ByteBuffer(contentsOfFile: path).readableBytesView)
        return Int(summary["soundings"]?.integerValue ?? 0)
    }
}

/// JSON metadata of about `bytes` bytes whose `properties` hold `keys` distinct members: the input that
/// made object parsing and the metadata merge quadratic.
func hostileMetadata(keys: Int, bytes: Int) -> String {
    let perKey = max(12, bytes / max(keys, 1))
    let digits = max(7, perKey - 5)  // "k…":1, is digits + 5 bytes
    var text = #"{"properties":{"#
    text.reserveCapacity(bytes + 64)
    for i in 0..<keys {
        if i > 0 { text += "," }
        let number = String(i)
        text += "\"k" + String(repeating: "0", count: max(0, digits - 1 - number.count)) + number + "\":1"
    }
    text += "}}"
    return text
}

/// JSON metadata of about `bytes` bytes holding one long string.
func longStringMetadata(bytes: Int) -> String {
    #"{"properties":{"note":""# + String(repeating: "x", count: max(0, bytes - 24)) + #""}}"#
}

/// One benchmark case: a command line (given an output folder) and its input size.
private struct BenchCase {
    var name: String
    var inputBytes: Int
    var arguments: (String) -> [String]
    var countSoundings: Bool
    /// Runs of the baseline (nil: as many as of this binary).
    var baselineRuns: Int? = nil
}

/// The runs of one case with one binary.
private struct BenchResult {
    var seconds: [Double] = []
    var peakRSS: [Int] = []
    var soundings: Int?

    var medianSeconds: Double? { seconds.isEmpty ? nil : median(seconds) }
    var medianRSS: Int { peakRSS.isEmpty ? 0 : Int(median(peakRSS.map(Double.init))) }
    /// (max − min) / median of the wall times.
    var spread: Double {
        guard let m = medianSeconds, let lo = seconds.min(), let hi = seconds.max(), m > 0 else { return 0 }
        return (hi - lo) / m
    }
}

/// The median (mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// `rm -r` of a folder this command created.
@discardableResult
func removeTree(_ path: String) -> Bool {
    guard let dir = opendir(path) else { return unlink(path) == 0 }
    var entries: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." { entries.append(path + "/" + name) }
    }
    closedir(dir)
    for entry in entries { removeTree(entry) }
    return rmdir(path) == 0
}
