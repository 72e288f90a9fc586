import ArgumentParser
import JSONValue
import NIOCore
import WIBLConversion
import WIBLFormat
import WIBLProcessing
import WIBLSystem

/// `wibl accuracy`: how close each mode's soundings are to what a simulated vessel really did.
struct AccuracyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Compare the soundings of reference and accurate mode with a simulation's truth.",
        discussion: """
            Converts a file made by `wibl simulate --truth FILE` in both modes and matches every output \
            sounding with the true ping it came from. Per mode it prints the soundings kept and left out, \
            the pings missed, the time, position and depth errors (median, 95th percentile, maximum), the \
            outputs with a no-data value and those more than 50 m from the truth.
            """
    )

    @Argument(help: "A simulated logger file.", completion: .file(extensions: ["wibl"]))
    var input: String

    @Option(name: .long, help: "The truth written by `wibl simulate --truth`.")
    var truth: String

    @Option(name: .long, help: "Processing configuration (JSON); its accurate-mode keys apply to accurate mode.")
    var config: String?

    @Flag(name: .long, help: "Print one JSON object with the keys reference and accurate.")
    var json = false

    func run() async throws {
        let base: JSONObject? = json ? ["reference": nil, "accurate": nil] : nil
        try await reportingErrors(json: base) { try compare() }
    }

    private func compare() throws {
        let configuration = try ConfigurationLoader.load(config)
        let bytes = ByteBuffer(bytes: try readWholeFile(input))
        let pings = try readTruth(ByteBuffer(bytes: try readWholeFile(truth)), name: truth)
        let file = try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: configuration.isStrict))
        let tagged = TaggedFile(file, truth: pings)
        let name = lastPathComponent(input)
        let results = ProcessingMode.allCases.map { mode in
            measure(mode, tagged, truth: pings, configuration: configuration, fileName: name)
        }
        if json {
            var root = JSONObject()
            for result in results { root[result.mode.rawValue] = result.json }
            print(JSONValue.object(root).serialized())
        } else {
            print("\(input): \(pings.count) true pings\n" + results.map(\.text).joined(), terminator: "")
        }
        if results.allSatisfy({ $0.error != nil }) { throw WIBLExitCode.processingRefused }
    }
}
