import ArgumentParser
import NIOCore
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLSystem

/// `wibl simulate`: a synthetic but realistic logger file.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract:
            "Write a synthetic WIBL file: a vessel track with time, position and depth (deterministic for a seed)."
    )

    @Option(name: .shortAndLong, help: "The file to write.")
    var output: String

    @Option(name: .long, help: "Simulated duration in seconds.")
    var duration: Double = 600

    @Option(name: .long, help: "Random seed: the same seed gives the same file.")
    var seed: UInt64 = 1

    @Option(name: .customLong("format-version"), help: "Serialiser (file format) version: 1.0, 1.1, 1.2 or 1.3.")
    var formatVersion = "1.3"

    @Option(name: .long, help: "Instruments: nmea2000, nmea0183 or mixed.")
    var sources = "mixed"

    @Flag(name: .long, help: "Also write HDT heading sentences (NMEA0183 sources).")
    var heading = false

    @Option(name: .long, help: "JSON metadata to embed (a file path, or the JSON text itself).")
    var jsonMetadata: String?

    @Option(name: .long, help: "Logger unique id (first Metadata string).")
    var loggerID: String?

    @Option(name: .long, help: "Probability that a depth is written twice.")
    var duplicateDepthProb = 0.0

    @Option(name: .long, help: "Probability that an NMEA2000 packet carries 'no data' values.")
    var noDataProb = 0.0

    @Option(
        name: .long,
        help: "Also write what the vessel really did: one JSON object per ping (t, lat, lon, depth, elapsed, gap).")
    var truth: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Faults to inject: all, or a comma list of reorder, nodata, void-fix, outage, second-depth, wrap, duplicate.",
            valueName: "list"))
    var faults: String?

    @Option(name: .long, help: ArgumentHelp("Rate of one listed fault (repeatable).", valueName: "name=rate"))
    var faultRate: [String] = []

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be positive.") }
        guard ["1.0", "1.1", "1.2", "1.3"].contains(formatVersion) else {
            throw ValidationError("--format-version must be 1.0, 1.1, 1.2 or 1.3.")
        }
        guard SimulatorOptions.Sources(rawValue: sources) != nil else {
            throw ValidationError("--sources must be nmea2000, nmea0183 or mixed.")
        }
        guard (0...1).contains(duplicateDepthProb), (0...1).contains(noDataProb) else {
            throw ValidationError("probabilities must be between 0 and 1.")
        }
        _ = try faultSettings()
    }

    /// `--faults` and `--fault-rate` as settings.
    func faultSettings() throws -> FaultSettings {
        guard let faults else {
            if !faultRate.isEmpty { throw ValidationError("--fault-rate needs --faults.") }
            return FaultSettings()
        }
        var settings: FaultSettings
        switch SimulatedFault.parseList(faults) {
        case .success(let list): settings = FaultSettings(list)
        case .failure(let error): throw ValidationError("--faults: \(error)")
        }
        for entry in faultRate {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let rate = Double(parts[1]), (0...1).contains(rate) else {
                throw ValidationError("--fault-rate must be NAME=RATE with a rate between 0 and 1, not '\(entry)'.")
            }
            guard let fault = SimulatedFault(rawValue: String(parts[0])), settings.rates[fault] != nil else {
                throw ValidationError("--fault-rate names '\(parts[0])', which --faults does not list.")
            }
            settings.rates[fault] = rate
        }
        return settings
    }

    func run() async throws {
        try await reportingErrors { try simulate() }
    }

    private func simulate() throws {
        var options = SimulatorOptions()
        options.durationSeconds = duration
        options.seed = seed
        let minor = UInt16(formatVersion.dropFirst(2)) ?? 3
        options.version = SerialiserVersion(major: 1, minor: minor, imu: minor >= 3 ? .init(1, 0, 0) : .init(0, 0, 0))
        options.sources = SimulatorOptions.Sources(rawValue: sources) ?? .mixed
        options.includeHeading = heading
        options.duplicateDepthProbability = duplicateDepthProb
        options.noDataProbability = noDataProb
        if let loggerID { options.loggerID = loggerID }
        options.faults = try faultSettings()
        options.recordsTruth = truth != nil
        if let jsonMetadata {
            options.jsonMetadata =
                jsonMetadata.hasPrefix("{")
                ? jsonMetadata : String(buffer: try ByteBuffer(contentsOfFile: jsonMetadata))
        }
        var simulator = WIBLSimulator(options: options)
        let bytes = try AtomicFile.write(to: output) { sink in
            try simulator.write { chunk in try sink.write(Array(chunk.readableBytesView)) }
            return sink.bytesWritten
        }
        if let truth {
            let pings = simulator.truth
            do {
                _ = try AtomicFile.write(to: truth) { sink in
                    var text = ""
                    for ping in pings {
                        text += ping.jsonLine + "\n"
                        if text.utf8.count > 1 << 16 {
                            try sink.write(Array(text.utf8))
                            text = ""
                        }
                    }
                    try sink.write(Array(text.utf8))
                }
            } catch {
                writeStandardError("Error: \(error)\n")
                throw WIBLExitCode.ioError
            }
            print("Wrote \(truth) (\(pings.count) true pings).")
        }
        print("Wrote \(output) (\(bytes) bytes, \(format(duration, 0)) s of \(sources) data).")
    }
}
