import ArgumentParser
import JSONValue
import NIOCore
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLSystem

/// `wibl bench`: end-to-end conversion throughput and memory, measured on simulated files.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure conversion speed (MB/s, soundings/s), peak memory and the multi-core speed-up.",
        discussion: """
            Simulates mixed NMEA2000/NMEA0183 files of the given sizes, converts each with `wibl convert` in \
            a child process (decode → process → GeoJSON written to disk) and reports wall time, input MB/s, \
            soundings/s and the child's peak resident memory. Then converts a batch of files with one job \
            and with one job per core, and reports the speed-up. Build with -c release for real figures.
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "File sizes in MB.")
    var sizes: [Double] = [1, 10, 50]

    @Option(name: .long, help: "Number of files in the batch run.")
    var batchFiles = 8

    @Option(name: .long, help: "Size of each batch file in MB.")
    var batchSize = 5.0

    @Option(name: .long, help: "Repetitions per size (the fastest is reported).")
    var repeats = 3

    @Option(name: .long, help: "Working folder (default: a new folder under /tmp, removed afterwards).")
    var workDir: String?

    func validate() throws {
        guard sizes.allSatisfy({ $0 > 0 }), batchFiles >= 1, batchSize > 0, repeats >= 1 else {
            throw ValidationError("sizes, --batch-files, --batch-size and --repeats must be positive.")
        }
    }

    func run() async throws {
        guard let wibl = currentExecutablePath() else {
            throw SystemError("find the running wibl executable at", path: "/proc/self/exe")
        }
        let folder = workDir ?? "/tmp/wibl-bench-\(getpid())"
        try FileSystem.makeFolders(folder + "/batch")
        defer { if workDir == nil { _ = removeTree(folder) } }
        print("wibl bench: \(coreCount()) core(s), working in \(folder)")
        print("")
        print("size MB   wall s   MB/s     soundings/s   peak RSS MB   RSS/input")
        for (index, size) in sizes.enumerated() {
            let input = "\(folder)/bench-\(index).wibl"
            let bytes = try simulate(megabytes: size, seed: UInt64(index + 1), to: input)
            var best: ChildUsage?
            for _ in 0..<repeats {
                let usage = try runMeasured(
                    wibl,
                    ["convert", input, "-o", "\(folder)/bench-\(index).geojson", "--provider-id", "BENCH", "--json"],
                    stdoutPath: "\(folder)/summary.json")
                guard usage.status == 0 else {
                    throw CommandFailure("converting \(input) failed (exit \(usage.status)).")
                }
                if best == nil || usage.seconds < best?.seconds ?? 0 { best = usage }
            }
            guard let best else { continue }
            let soundings = try soundingsIn("\(folder)/summary.json")
            let mb = Double(bytes) / 1e6
            print(
                [
                    format(mb, 1).padding(10), format(best.seconds, 3).padding(9),
                    format(mb / best.seconds, 1).padding(9),
                    String(Int(Double(soundings) / best.seconds)).padding(14),
                    format(Double(best.peakRSSBytes) / 1e6, 1).padding(14),
                    format(Double(best.peakRSSBytes) / Double(bytes), 2),
                ].joined())
        }
        print("")
        var total = 0
        for i in 0..<batchFiles {
            total += try simulate(megabytes: batchSize, seed: UInt64(100 + i), to: "\(folder)/batch/file-\(i).wibl")
        }
        let one = try runMeasured(
            wibl,
            ["convert", "\(folder)/batch", "--output-dir", "\(folder)/out1", "--provider-id", "BENCH", "--jobs", "1"])
        let all = try runMeasured(
            wibl,
            [
                "convert", "\(folder)/batch", "--output-dir", "\(folder)/outN", "--provider-id", "BENCH", "--jobs",
                "\(coreCount())",
            ])
        let mb = Double(total) / 1e6
        print("batch: \(batchFiles) files, \(format(mb, 1)) MB")
        print("  1 job:    \(format(one.seconds, 3)) s  \(format(mb / one.seconds, 1)) MB/s")
        print("  \(coreCount()) jobs:   \(format(all.seconds, 3)) s  \(format(mb / all.seconds, 1)) MB/s")
        print("  speed-up: \(format(one.seconds / all.seconds, 2))×")
    }

    /// Writes a simulated file of about `megabytes` and returns its size.
    private func simulate(megabytes: Double, seed: UInt64, to path: String) throws -> Int {
        var options = SimulatorOptions()
        options.sources = .mixed
        options.seed = seed
        options.durationSeconds = megabytes * 1e6 / 325  // a mixed file grows by about 325 bytes per second
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
