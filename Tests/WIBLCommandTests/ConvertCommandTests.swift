import JSONValue
import NIOCore
import Testing
import WIBLFormat
import WIBLSystem
import WIBLTestSupport

/// `wibl convert`, run as a user runs it: the built binary, its output, its exit code, its files.
@Suite struct ConvertCommandTests {
    @Test func convertsTheTestdataFolderAndRefusesTheBadFiles() throws {
        let out = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "convert", Fixtures.path("wibl"), "--provider-id", "UNHJHC", "--output-dir", out, "--json",
        ])
        #expect(result.status == 5, "two of the eight files are refused for an unknown algorithm (5)")
        let summary = try JSONValue.parse(Array(result.stdout.utf8))
        #expect(summary["converted"] == 6 && summary["failed"] == 2)
        #expect(
            ((try? FileSystem.entries(of: out)) ?? []) == [
                "synth-meta-1mb.geojson", "synth-n0183-1mb.geojson", "synth-n2k-1mb.geojson", "synth-v1_0.geojson",
                "test-algo-dedup.geojson", "test-bin-algo-nodatafilter.geojson",
            ], "no output (and no temporary file) for the refused files")
        let files = try #require(summary["files"]?.arrayValue)
        let unknown = try #require(files.first { $0["file"]?.stringValue?.hasSuffix("test-algo-unknown.wibl") == true })
        #expect(unknown["error"] == "Unknown algorithm 'magicalgorithm' for test-algo-unknown.wibl.")
        #expect(unknown["errorClass"] == "UnknownAlgorithm")
        #expect(unknown["output"] == .null)
        let v10 = try #require(files.first { $0["file"]?.stringValue?.hasSuffix("synth-v1_0.wibl") == true })
        #expect(v10["soundings"] == 396)
        #expect(v10["start"] == "2020-01-01T00:00:01.876000Z" && v10["end"] == "2020-01-01T00:09:58.705000Z")
        #expect(v10["bbox"]?.arrayValue?.count == 4)
    }

    @Test func humanSummaryAndWarningsForInputCausedProblems() throws {
        let out = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-meta-1mb.wibl"), "-o", out + "/m.geojson", "--provider-id", "UNHJHC",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Converted 1 of 1 file(s): 4282 soundings"))
        #expect(result.stderr.contains("platform.length: 12.5"))
    }

    @Test func singleFileFailuresHaveTheirOwnExitCodes() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/garbage.wibl", Array("this is not a logger file".utf8))
        let notWIBL = try runWIBL(["convert", folder + "/garbage.wibl", "--provider-id", "UNHJHC"])
        #expect(notWIBL.status == 4)
        #expect(notWIBL.stderr.contains("not a WIBL file"))
        #expect(((try? FileSystem.entries(of: folder)) ?? []) == ["garbage.wibl"], "no partial output")
        let missing = try runWIBL(["convert", folder + "/nope.wibl", "--provider-id", "UNHJHC"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("nope.wibl") && missing.stderr.contains("No such file or directory"))
        let refused = try runWIBL([
            "convert", Fixtures.path("wibl/test-algo-unknown.wibl"), "-o", folder + "/u.geojson", "--provider-id",
            "UNHJHC",
        ])
        #expect(refused.status == 5)
        #expect(!((try? FileSystem.entries(of: folder)) ?? []).contains("u.geojson"))
    }

    @Test func truncatedFileStillConvertsWhatIsThereAndWarns() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let bytes = try Fixtures.bytes("wibl/synth-v1_0.wibl")
        try writeFile(folder + "/cut.wibl", Array(bytes.prefix(bytes.count - 20)))
        let result = try runWIBL(["convert", folder + "/cut.wibl", "--provider-id", "UNHJHC"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("is truncated"))
        let strict = try runWIBL([
            "convert", folder + "/cut.wibl", "-o", folder + "/strict.geojson", "--provider-id", "UNHJHC", "--strict",
        ])
        #expect(strict.status == 4)
        #expect(!((try? FileSystem.entries(of: folder)) ?? []).contains("strict.geojson"))
    }

    @Test func configurationErrorsNameTheKey() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/bad.json", Array(#"{"elapsed_time_width": 64}"#.utf8))
        let result = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson", "--config",
            folder + "/bad.json", "--provider-id", "UNHJHC",
        ])
        #expect(result.status == 6)
        #expect(result.stderr.contains("'elapsed_time_width'"))
        let viaEnvironment = try runWIBL(
            ["convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson", "--provider-id", "UNHJHC"],
            environment: ["WIBL_CONFIG_FILE": folder + "/bad.json"])
        #expect(viaEnvironment.status == 6)
        let noProvider = try runWIBL(
            ["convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson"], removing: ["PROVIDER_ID"])
        #expect(noProvider.status == 6)
        #expect(noProvider.stderr.contains("provider id"))
        let fromEnvironment = try runWIBL(
            ["convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/x.geojson"],
            environment: ["PROVIDER_ID": "ABC"])
        #expect(fromEnvironment.status == 0)
        let document = try JSONValue.parse(try readWholeFile(folder + "/x.geojson"))
        #expect(document["properties"]?["trustedNode"]?["uniqueVesselID"]?.stringValue?.hasPrefix("ABC-") == true)
    }
}
