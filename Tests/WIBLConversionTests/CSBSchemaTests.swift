import B12Validation
import JSONValue
import Testing
import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem
import WIBLTestSupport

/// Our outputs against the real validator, `csbschema` (`geojson-b12.md` §1, §7). The test fails —
/// it does not skip — when csbschema is missing: CI installs it (`scripts/install-test-tools.sh`).
@Suite struct CSBSchemaTests {
    /// Writes `file` to a temporary path and runs `csbschema validate -f` on it.
    func validateWithCSBSchema(_ file: ProcessedFile, name: String) throws -> ProcessResult {
        let path = "/tmp/wibl-csbschema-\(getpid())-\(name).geojson"
        defer { unlink(path) }
        _ = try AtomicFile.write(to: path) { sink in try GeoJSONWriter.write(file, settings: settings, to: &sink) }
        return try ExternalTool.csbschemaValidate(path)
    }

    static let cases: [(String, String?, [LineageRecord])] = [
        ("plain", nil, []),
        (
            "lineage", nil,
            [
                LineageRecord(
                    name: "nodatareject", parameters: [], version: "1.0.0", comment: "x", timestampMicroseconds: 0),
                LineageRecord(
                    name: "deduplicate", parameters: [.init(key: "mode", value: "consecutive")], version: "1.0.0",
                    comment: "y", timestampMicroseconds: 1_795_000_000_000_000),
            ]
        ),
        (
            "metadata",
            #"{"properties": {"trustedNode": {"providerEmail": "harness@example.org"}, "platform": {"length": 12, "IDType": "MMSI", "IDNumber": "369958000", "sensors": [{"type": "Sounder", "make": "A", "model": "B", "position": [0.0, 1.5, 0.3]}], "contributorComments": "é"}}}"#,
            []
        ),
    ]

    @Test(arguments: cases)
    func outputsForAUUIDLoggerPassCsbschema(_ name: String, _ metadata: String?, _ lineage: [LineageRecord]) throws {
        let file = makeProcessedFile(metadata: metadata, count: 500, lineage: lineage)
        let result = try validateWithCSBSchema(file, name: name)
        #expect(result.status == 0, "csbschema: \(result.stdout) \(result.stderr)")
        // And our own validator agrees.
        var sink = MemorySink()
        _ = try GeoJSONWriter.write(file, settings: settings, to: &sink)
        #expect(B12Validator.check(try JSONValue.parse(sink.bytes)) == [])
    }

    @Test func csbschemaAndOurValidatorBothRejectANonUUIDLoggerID() throws {
        let file = makeProcessedFile(loggerName: "Gulf Surveyor")
        let result = try validateWithCSBSchema(file, name: "nonuuid")
        #expect(result.status != 0)
        #expect(result.stdout.contains("uniqueVesselID"))
        var sink = MemorySink()
        _ = try GeoJSONWriter.write(file, settings: settings, to: &sink)
        let issues = B12Validator.check(try JSONValue.parse(sink.bytes))
        #expect(Set(issues.map(\.path)) == ["properties.trustedNode.uniqueVesselID", "properties.platform.uniqueID"])
        #expect(issues.allSatisfy { $0.cause == .input })
    }
}
