import JSONValue
import Testing
import WIBLSystem
import WIBLTestSupport

/// `wibl edit`, run as a user runs it, and the edited files converted.
@Suite struct EditCommandTests {
    static let uuid = "0c2c3f58-24a4-448f-a538-ccca22993ed7"

    func convert(_ path: String, _ folder: String) throws -> JSONValue {
        let out = folder + "/" + lastPathComponent(path) + ".geojson"
        let result = try runWIBL(["convert", path, "-o", out, "--provider-id", "UNHJHC"])
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONValue.parse(try readWholeFile(out))
    }

    @Test func anEditedFileConvertsToTheExpectedGeoJSON() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let metadata = folder + "/meta.json"
        try writeFile(
            metadata,
            Array(
                """
                {"properties": {"trustedNode": {"providerOrganizationName": "Sea Grant",
                 "providerEmail": "csb@example.org"}, "platform": {"type": "Ship", "length": 12,
                 "IDType": "IMO", "IDNumber": "IMO1234567"}}}
                """.utf8))
        let edited = folder + "/edited.wibl"
        let result = try runWIBL([
            "edit", Fixtures.path("wibl/test-algo-dedup.wibl"), "-o", edited, "--logger-id", Self.uuid, "--ship-name",
            "Ægir", "--metadata", metadata, "--remove-algorithm", "deduplicate",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(edited): 3 change(s)"))
        #expect(!result.stderr.contains("not a UUID"))
        let original = try convert(Fixtures.path("wibl/test-algo-dedup.wibl"), folder)
        let after = try convert(edited, folder)
        let properties = try #require(after["properties"])
        #expect(properties["trustedNode"]?["uniqueVesselID"]?.stringValue == "UNHJHC-\(Self.uuid)")
        #expect(properties["trustedNode"]?["providerOrganizationName"] == "Sea Grant")
        #expect(properties["platform"]?["name"] == "Ægir")
        #expect(properties["platform"]?["IDNumber"] == "IMO1234567")
        #expect(properties["processing"] == nil || properties["processing"]?.arrayValue?.isEmpty == true)
        // Without the deduplicate request every sounding is kept: 277 instead of 234; same first sounding.
        #expect(original["features"]?.arrayValue?.count == 234)
        #expect(after["features"]?.arrayValue?.count == 277)
        #expect(after["features"]?[0] == original["features"]?[0])
    }

    @Test func inPlaceDryRunAndTheUntouchedBytes() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let file = folder + "/f.wibl"
        let bytes = try Fixtures.bytes("wibl/synth-meta-1mb.wibl")
        try writeFile(file, bytes)
        let dry = try runWIBL(["edit", file, "--add-algorithm", "deduplicate;x=1", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("AlgorithmRequest 'deduplicate' (x=1) appended"))
        #expect(try readWholeFile(file) == bytes, "dry run writes nothing")
        let edit = try runWIBL([
            "edit", file, "--in-place", "--logger-id", "not-a-uuid", "--nmea0183-filter", "GGA", "ZDA",
        ])
        #expect(edit.status == 0, "\(edit.stderr)")
        #expect(edit.stderr.contains("warning: logger id 'not-a-uuid' is not a UUID"))
        let after = try readWholeFile(file)
        #expect(((try? FileSystem.entries(of: folder)) ?? []) == ["f.wibl"], "no temporary file left")
        // Metadata is packet 1 (bytes 30…): everything after it is the same, then two filters.
        let metadataLength = Int(bytes[34]) + 8
        let newMetadataLength = Int(after[34]) + 8
        #expect(
            Array(after[(30 + newMetadataLength)..<(after.count - 2 * (8 + 4 + 3))])
                == Array(bytes[(30 + metadataLength)...]))
        #expect(Array(after.prefix(30)) == Array(bytes.prefix(30)))
    }

    @Test func badInputsWriteNothing() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/garbage.wibl", Array("not a logger file".utf8))
        try writeFile(folder + "/bad.json", Array(#"{"properties": {"platform": {"length": 12.5}}}"#.utf8))
        try writeFile(folder + "/list.json", Array("[1, 2]".utf8))
        let notWIBL = try runWIBL(["edit", folder + "/garbage.wibl", "-o", folder + "/o.wibl", "--ship-name", "X"])
        #expect(notWIBL.status == 4)
        let badMetadata = try runWIBL([
            "edit", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/o.wibl", "--metadata", folder + "/bad.json",
        ])
        #expect(badMetadata.status == 6)
        #expect(badMetadata.stderr.contains("properties.platform.length: 12.5 must be a whole number"))
        let list = try runWIBL([
            "edit", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/o.wibl", "--metadata",
            folder + "/list.json",
        ])
        #expect(list.status == 6 && list.stderr.contains("the metadata must be an object"))
        let noTarget = try runWIBL(["edit", Fixtures.path("wibl/synth-v1_0.wibl"), "--ship-name", "X"])
        #expect(noTarget.status == 64)
        let badVersion = try runWIBL([
            "edit", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/o.wibl", "--format-version", "1.0",
            "--nmea0183-filter", "GGA",
        ])
        #expect(badVersion.status == 64)
        #expect(badVersion.stderr.contains("cannot hold"))
        let nothing = try runWIBL(["edit", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/o.wibl"])
        #expect(nothing.status == 64)
        let sentence = try runWIBL([
            "edit", Fixtures.path("wibl/synth-v1_0.wibl"), "--dry-run", "--nmea0183-filter", "GPGGA",
        ])
        #expect(sentence.status == 64)
        #expect(((try? FileSystem.entries(of: folder)) ?? []) == ["bad.json", "garbage.wibl", "list.json"])
    }
}

/// The last component of a path.
func lastPathComponent(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }
