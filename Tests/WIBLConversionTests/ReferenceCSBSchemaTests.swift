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

/// Our conversions of the reference files, checked by the real `csbschema` (`geojson-b12.md` §7):
/// they fail only for the input-caused reasons the spec lists (G8) — never for `parameters` (G5) —
/// and `B12Validator` finds the same problems, marked as input-caused.
@Suite struct ReferenceCSBSchemaTests {
    @Test(arguments: ReferenceComparisonTests.referenced)
    func ourOutputFailsCsbschemaOnlyForInputCausedReasons(_ name: String) throws {
        let bytes = try Fixtures.bytes("wibl/" + name)
        let path = "/tmp/wibl-reference-\(getpid())-\(name).geojson"
        defer { unlink(path) }
        let result = try AtomicFile.write(to: path) { sink in
            try WIBLConversion.convert(
                ByteBuffer(bytes: bytes), fileName: name, configuration: .init(), settings: referenceSettings,
                nowMicroseconds: now, to: &sink)
        }
        let csbschema = try ExternalTool.csbschemaValidate(path)
        let isNonUUID = name.hasPrefix("test-") || name.hasPrefix("synth-n2k") || name.hasPrefix("synth-n0183")
        let isBadLength = name.hasPrefix("synth-meta")
        #expect(
            (csbschema.status == 0) == !(isNonUUID || isBadLength), "csbschema on \(name): \(csbschema.stdout)")
        #expect(csbschema.stdout.contains("uniqueVesselID") == isNonUUID)
        #expect(csbschema.stdout.contains("/properties/platform/length") == isBadLength)
        #expect(!csbschema.stdout.contains("processing"), "G5: parameters are an object")

        let issues = B12Validator.check(try JSONValue.parse(try readWholeFile(path)))
        var expected: Set<String> = []
        if isNonUUID { expected = ["properties.trustedNode.uniqueVesselID", "properties.platform.uniqueID"] }
        if isBadLength { expected.insert("properties.platform.length") }
        #expect(Set(issues.map(\.path)) == expected)
        #expect(issues.allSatisfy { $0.cause == .input })
        // The conversion summary already said so (G8), once per problem (uniqueID is the vessel id's copy).
        let warned = result.summary.warnings.filter { $0.contains("csbschema") }
        #expect(warned.count == expected.subtracting(["properties.platform.uniqueID"]).count, "\(warned)")
    }
}
