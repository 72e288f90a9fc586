import B12Validation
import JSONValue
import NIOCore
import Testing
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem
import WIBLTestSupport

/// Accurate mode's output, lineage record included, against csbschema (fails when it is missing).
@Suite struct AccurateCSBSchemaTests {
    @Test func accurateOutputOfAFaultySimulationPassesCsbschema() throws {
        var options = SimulatorOptions()
        options.durationSeconds = 300
        options.seed = 21
        options.faults = FaultSettings(SimulatedFault.allCases)
        var simulator = WIBLSimulator(options: options)
        var bytes = ByteBuffer()
        simulator.write { bytes.writeImmutableBuffer($0) }
        var configuration = ProcessingConfiguration()
        configuration.mode = .accurate
        configuration.accurate.badTalkers = ["II", "35"]
        var sink = MemorySink()
        let result = try WIBLConversion.convert(
            bytes, fileName: "faulty.wibl", configuration: configuration, settings: settings,
            nowMicroseconds: 1_795_000_000_000_000, to: &sink)
        #expect(result.leftOut.total > 0)
        let document = try JSONValue.parse(sink.bytes)
        let processing = try #require(document["properties"]?["processing"]?.arrayValue)
        #expect(processing.last?["name"] == "accurate")
        #expect(processing.last?["parameters"]?["bad_talkers"] == "II 35")
        #expect(B12Validator.check(document) == [])
        let path = "/tmp/wibl-csbschema-\(getpid())-accurate.geojson"
        defer { unlink(path) }
        _ = try AtomicFile.write(to: path) { file in try file.write(sink.bytes) }
        let checked = try ExternalTool.csbschemaValidate(path)
        #expect(checked.status == 0, "csbschema: \(checked.stdout) \(checked.stderr)")
    }
}
