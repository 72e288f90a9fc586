import JSONValue
import Testing
import WIBLSystem
import WIBLTestSupport

/// `wibl summary`, run as a user runs it.
@Suite struct SummaryCommandTests {
    /// Three soundings due north along the Greenwich meridian, one degree apart, 6 h in all (37 kn).
    static let meridian = """
        {"type": "FeatureCollection", "properties": {"trustedNode": {"uniqueVesselID": "TEST-Meridian"}},
         "features": [
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 0.0]},
           "properties": {"depth": 12.5, "time": "2024-03-01T00:00:00Z"}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 1.0]},
           "properties": {"depth": 40.25, "time": "2024-03-01T03:00:00.500000Z"}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 2.0]},
           "properties": {"depth": 7.0, "time": "2024-03-01T06:00:00Z"}}]}
        """

    @Test func greatCircleMilesHoursAndDepthsOfAHandMadeTrack() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/meridian.geojson", Array(Self.meridian.utf8))
        let result = try runWIBL(["summary", folder + "/meridian.geojson", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONValue.parse(Array(result.stdout.utf8))
        let vessel = try #require(report["vessels"]?[0])
        #expect(vessel["vessel"] == "TEST-Meridian")
        #expect(vessel["files"] == 1 && vessel["soundings"] == 3)
        #expect(vessel["hours"]?.doubleValue == 6.0)
        // 2° of a great circle of radius 6 371 008.8 m = 222 390.2 m = 120.081 NM.
        #expect(abs((vessel["nauticalMiles"]?.doubleValue ?? 0) - 120.081) < 0.001)
        #expect(vessel["minDepth"]?.doubleValue == 7.0 && vessel["maxDepth"]?.doubleValue == 40.25)
        #expect(vessel["first"] == "2024-03-01T00:00:00.000000Z" && vessel["last"] == "2024-03-01T06:00:00.000000Z")
        #expect(report["totals"]?["soundings"] == 3)
        let invalid = try #require(report["invalid"]?.arrayValue)
        #expect(invalid.count == 1, "the hand-made file lacks the required B-12 metadata")
        #expect(invalid.first?["reasons"]?.arrayValue?.isEmpty == false)
    }

    @Test func theTestdataFolderPerVesselWithTheRefusedFilesListed() throws {
        let folder = Fixtures.path("wibl")
        let convert = try runWIBL([
            "convert", folder, "--provider-id", "UNHJHC", "--output-dir", try FileSystem.makeTemporaryFolder(),
            "--json",
        ])
        let converted = try JSONValue.parse(Array(convert.stdout.utf8))
        let result = try runWIBL(["summary", folder, "--provider-id", "UNHJHC", "--json"])
        #expect(result.status == 5, "two files are refused by the processing (unknown algorithms)")
        let report = try JSONValue.parse(Array(result.stdout.utf8))
        let vessels = try #require(report["vessels"]?.arrayValue)
        // Every .wibl file and the reference GeoJSON files are read (a GeoJSON output counts again: it
        // is a separate input). synth-meta-1mb and synth-v1_0 carry a UUID logger id.
        #expect(
            vessels.map { $0["vessel"]?.stringValue ?? "" } == [
                "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", "UNHJHC-Gulf Surveyor",
            ])
        #expect(vessels.map { $0["files"]?.integerValue ?? 0 } == [4, 8])
        let totals = try #require(report["totals"])
        let wiblOnly = try runWIBL([
            "summary", folder + "/synth-v1_0.wibl", folder + "/test-algo-dedup.wibl", "--provider-id", "UNHJHC",
            "--json",
        ])
        let two = try JSONValue.parse(Array(wiblOnly.stdout.utf8))
        #expect(two["totals"]?["soundings"] == 630)
        #expect(two["totals"]?["files"] == 2)
        #expect((converted["soundings"]?.integerValue ?? 0) > 0)
        let invalid = try #require(report["invalid"]?.arrayValue)
        let unknown = try #require(
            invalid.first { $0["file"]?.stringValue?.hasSuffix("test-algo-unknown.wibl") == true })
        #expect(
            unknown["reasons"]?[0]?.stringValue
                == "Unknown algorithm 'magicalgorithm' for \(folder)/test-algo-unknown.wibl.")
        #expect(
            invalid.contains {
                ($0["reasons"]?.arrayValue ?? []).contains {
                    $0.stringValue?.contains("PROVIDER-<UUID>") == true
                        || $0.stringValue?.contains("uniqueVesselID") == true
                }
            },
            "the test logger's id is not a UUID: its files would fail validation")
        #expect((totals["nauticalMiles"]?.doubleValue ?? 0) > 0 && (totals["hours"]?.doubleValue ?? 0) > 0)
        // The simulated vessel moves about 0.5 m/s: a mixed NMEA2000/NMEA0183 file alternates between
        // two tracks kilometres apart (the GGA quirk), and those jumps are not counted as miles.
        let mixed = try runWIBL(["summary", folder + "/test-algo-dedup.wibl", "--provider-id", "UNHJHC", "--json"])
        let miles = try JSONValue.parse(Array(mixed.stdout.utf8))["totals"]?["nauticalMiles"]?.doubleValue ?? -1
        #expect(miles >= 0 && miles < 0.2, "3 minutes at half a metre per second, not \(miles) NM")
    }

    @Test func csvAndTextOutputs() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/meridian.geojson", Array(Self.meridian.utf8))
        let csv = try runWIBL(["summary", folder, "--csv"])
        #expect(csv.status == 0)
        #expect(
            csv.stdout == """
                vessel,files,soundings,hours,nautical_miles,min_depth_m,max_depth_m,first,last
                TEST-Meridian,1,3,6.000,120.081,7.00,40.25,2024-03-01T00:00:00.000000Z,2024-03-01T06:00:00.000000Z
                TOTAL,1,3,6.000,120.081,7.00,40.25,2024-03-01T00:00:00.000000Z,2024-03-01T06:00:00.000000Z

                """)
        let text = try runWIBL(["summary", folder])
        #expect(text.stdout.contains("TEST-Meridian\n  files 1, soundings 3, 6.00 h, 120.08 NM"))
        #expect(text.stdout.contains("1 file(s) would fail validation:"))
    }

    @Test func badInputs() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/broken.geojson", Array("{\"type\": ".utf8))
        let broken = try runWIBL(["summary", folder + "/broken.geojson", "--json"])
        #expect(broken.status == 7, "not usable GeoJSON")
        let report = try JSONValue.parse(Array(broken.stdout.utf8))
        #expect(report["invalid"]?[0]?["reasons"]?[0]?.stringValue?.hasPrefix("not JSON") == true)
        let missing = try runWIBL(["summary", folder + "/nope"])
        #expect(missing.status == 3 && missing.stderr.contains("No such file or directory"))
        let both = try runWIBL(["summary", folder, "--json", "--csv"])
        #expect(both.status == 64)
    }
}

/// A jump out and back (a bad fix, or a second position source) is not counted as distance.
@Suite struct SummaryJumpTests {
    @Test func jumpsFasterThanFiftyKnotsAreLeftOut() throws {
        // Steady 10 m steps every 10 s due north, with a 50 km jump east at the third sounding.
        var features: [String] = []
        for i in 0..<10 {
            let lat = Double(i) * 10 / 111_195.08
            let lon = i == 2 ? 0.6 : 0.0
            let second = i * 10
            features.append(
                #"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [\#(lon), \#(lat)]}, "properties": {"depth": 5, "time": "2024-03-01T00:\#(second / 60 < 10 ? "0" : "")\#(second / 60):\#(second % 60 < 10 ? "0" : "")\#(second % 60)Z"}}"#
            )
        }
        let document = #"{"type": "FeatureCollection", "features": [\#(features.joined(separator: ","))]}"#
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/jump.geojson", Array(document.utf8))
        let result = try runWIBL(["summary", folder + "/jump.geojson", "--json"])
        let miles = try JSONValue.parse(Array(result.stdout.utf8))["totals"]?["nauticalMiles"]?.doubleValue ?? -1
        // 90 m along the track = 0.0486 NM; the jump (2 × 50 km) would add 54 NM.
        #expect(abs(miles - 90 / 1852) < 0.001, "\(miles)")
    }
}
