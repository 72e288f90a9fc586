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

    @Option(name: .long, help: "Serialiser version: 1.0, 1.1, 1.2 or 1.3.")
    var version = "1.3"

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

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be positive.") }
        guard ["1.0", "1.1", "1.2", "1.3"].contains(version) else {
            throw ValidationError("--version must be 1.0, 1.1, 1.2 or 1.3.")
        }
        guard SimulatorOptions.Sources(rawValue: sources) != nil else {
            throw ValidationError("--sources must be nmea2000, nmea0183 or mixed.")
        }
        guard (0...1).contains(duplicateDepthProb), (0...1).contains(noDataProb) else {
            throw ValidationError("probabilities must be between 0 and 1.")
        }
    }

    func run() async throws {
        var options = SimulatorOptions()
        options.durationSeconds = duration
        options.seed = seed
        let minor = UInt16(version.dropFirst(2)) ?? 3
        options.version = SerialiserVersion(major: 1, minor: minor, imu: minor >= 3 ? .init(1, 0, 0) : .init(0, 0, 0))
        options.sources = SimulatorOptions.Sources(rawValue: sources) ?? .mixed
        options.includeHeading = heading
        options.duplicateDepthProbability = duplicateDepthProb
        options.noDataProbability = noDataProb
        if let loggerID { options.loggerID = loggerID }
        if let jsonMetadata {
            options.jsonMetadata =
                jsonMetadata.hasPrefix("{")
                ? jsonMetadata : String(buffer: try ByteBuffer(contentsOfFile: jsonMetadata))
        }
        var simulator = WIBLSimulator(options: options)
        let bytes: Int
        do {
            bytes = try AtomicFile.write(to: output) { sink in
                try simulator.write { chunk in try sink.write(Array(chunk.readableBytesView)) }
                return sink.bytesWritten
            }
        } catch {
            writeStandardError("Error: \(error)\n")
            throw WIBLExitCode.ioError
        }
        print("Wrote \(output) (\(bytes) bytes, \(format(duration, 0)) s of \(sources) data).")
    }
}
