import JSONValue
import Testing
import WIBLSystem
import WIBLTestSupport

/// `wibl inspect` and `wibl simulate`, run as built.
@Suite struct InspectSimulateTests {
    @Test(arguments: Fixtures.files(in: "wibl", suffix: ".wibl"))
    func inspectEveryTestFileInTextAndJSON(_ name: String) throws {
        let text = try runWIBL(["inspect", Fixtures.path("wibl/" + name)])
        #expect(text.status == 0)
        #expect(text.stdout.contains("serialiser version") && text.stdout.contains("SerialiserVersion"))
        let json = try runWIBL(["inspect", "--json", Fixtures.path("wibl/" + name)])
        #expect(json.status == 0)
        let object = try JSONValue.parse(Array(json.stdout.utf8))
        #expect(object["files"]?.arrayValue?.count == 1, "one JSON object, one entry per file")
        let line = try #require(object["files"]?[0])
        #expect(line["file"]?.stringValue?.hasSuffix(name) == true)
        #expect(line["packets"]?["SerialiserVersion"] == 1)
        #expect(line["errors"] == [])
    }

    @Test func inspectCountsSentencesAsTheReadmeSays() throws {
        let json = try runWIBL(["inspect", "--json", Fixtures.path("wibl/test-algo-dedup.wibl")])
        let line = try #require(try JSONValue.parse(Array(json.stdout.utf8))["files"]?[0])
        #expect(line["version"] == "1.3")
        #expect(line["packets"]?["GNSS"] == 181 && line["packets"]?["Depth"] == 137)
        #expect(line["nmea0183"] == ["DBT": 142, "GGA": 181, "ZDA": 181])
        #expect(line["algorithms"]?[0]?["name"] == "deduplicate")
    }

    @Test func inspectFailuresHaveClearMessagesAndExitCodes() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/empty.wibl", [])
        try writeFile(folder + "/text.wibl", Array("hello world, not a logger".utf8))
        let bytes = try Fixtures.bytes("wibl/synth-v1_0.wibl")
        try writeFile(folder + "/cut.wibl", Array(bytes.prefix(1000)))
        let missing = try runWIBL(["inspect", folder + "/nope.wibl"])
        #expect(missing.status == 3 && missing.stderr.contains("nope.wibl"))
        let empty = try runWIBL(["inspect", folder + "/empty.wibl"])
        #expect(empty.status == 4 && empty.stderr.contains("not a WIBL file"))
        let text = try runWIBL(["inspect", folder + "/text.wibl"])
        #expect(text.status == 4 && text.stderr.contains("not a WIBL file"))
        let cut = try runWIBL(["inspect", folder + "/cut.wibl"])
        #expect(cut.status == 4)
        #expect(cut.stdout.contains("is truncated"), "the summary of what could be read is still printed")
    }

    @Test func simulateIsDeterministicAndDecodes() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        for run in ["a", "b"] {
            let result = try runWIBL([
                "simulate", "-o", folder + "/\(run).wibl", "--duration", "120", "--seed", "7", "--sources", "mixed",
                "--heading",
            ])
            #expect(result.status == 0)
        }
        #expect(try readWholeFile(folder + "/a.wibl") == (try readWholeFile(folder + "/b.wibl")))
        let other = try runWIBL(["simulate", "-o", folder + "/c.wibl", "--duration", "120", "--seed", "8"])
        #expect(other.status == 0)
        #expect(try readWholeFile(folder + "/a.wibl") != (try readWholeFile(folder + "/c.wibl")))
        let inspect = try #require(
            try JSONValue.parse(Array(try runWIBL(["inspect", "--json", folder + "/a.wibl"]).stdout.utf8))["files"]?[0])
        #expect(inspect["packets"]?["SystemTime"] == 121 && inspect["nmea0183"]?["HDT"] == 121)
        let convert = try runWIBL(["convert", folder + "/a.wibl", "--provider-id", "UNHJHC", "--json"])
        #expect(convert.status == 0)
        let validate = try runWIBL(["validate", folder + "/a.geojson"])
        #expect(validate.status == 0, "simulated files have a UUID logger id and validate: \(validate.stdout)")
    }

    @Test(arguments: ["1.0", "1.1", "1.2"])
    func simulateOlderVersions(_ version: String) throws {
        let folder = try FileSystem.makeTemporaryFolder()
        #expect(
            try runWIBL([
                "simulate", "-o", folder + "/v.wibl", "--duration", "30", "--format-version", version, "--sources",
                "nmea2000",
            ]).status == 0)
        let inspect = try #require(
            try JSONValue.parse(Array(try runWIBL(["inspect", "--json", folder + "/v.wibl"]).stdout.utf8))["files"]?[0])
        #expect(inspect["version"]?.stringValue == version)
    }
}
