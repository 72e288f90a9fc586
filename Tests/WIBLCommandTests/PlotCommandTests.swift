import Testing
import WIBLSystem
import WIBLTestSupport

/// `wibl plot`, run as a user runs it.
@Suite struct PlotCommandTests {
    @Test func plotsALoggerFileAndAGeoJSONOutputTogether() throws {
        let out = try FileSystem.makeTemporaryFolder()
        let result = try runWIBL([
            "plot", Fixtures.path("wibl/synth-v1_0.wibl"), Fixtures.path("wibl/test-algo-dedup.reference.geojson"),
            "-o", out + "/tracks.svg",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Wrote \(out)/tracks.svg: \(396 + 234) soundings from 2 file(s)."))
        let svg = String(decoding: try readWholeFile(out + "/tracks.svg"), as: UTF8.self)
        #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>\n"))
        #expect(
            svg.contains("0c2c3f58-24a4-448f-a538-ccca22993ed7, UNHJHC-Gulf Surveyor"), "both vessel ids in the title")
        #expect(svg.contains("630 soundings"))
        #expect(((try? FileSystem.entries(of: out)) ?? []) == ["tracks.svg"])
    }

    @Test func badInputWritesNothing() throws {
        let out = try FileSystem.makeTemporaryFolder()
        try writeFile(out + "/garbage.wibl", Array("not a logger file".utf8))
        try writeFile(out + "/bad.geojson", Array("{\"type\": \"Feature\"}".utf8))
        let garbage = try runWIBL([
            "plot", Fixtures.path("wibl/synth-v1_0.wibl"), out + "/garbage.wibl", "-o", out + "/p.svg",
        ])
        #expect(garbage.status == 4)
        #expect(garbage.stderr.contains("not a WIBL file"))
        let bad = try runWIBL(["plot", out + "/bad.geojson", "-o", out + "/p.svg"])
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("is not a B-12 GeoJSON file"))
        let missing = try runWIBL(["plot", out + "/nope.wibl", "-o", out + "/p.svg"])
        #expect(missing.status == 3)
        let refused = try runWIBL(["plot", Fixtures.path("wibl/test-algo-unknown.wibl"), "-o", out + "/p.svg"])
        #expect(refused.status == 5)
        let noFolder = try runWIBL(["plot", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", out + "/no/such/p.svg"])
        #expect(noFolder.status == 3)
        #expect(
            ((try? FileSystem.entries(of: out)) ?? []) == ["bad.geojson", "garbage.wibl"],
            "no picture, no temporary file")
    }

    @Test func anEmptyCollectionGivesAPictureThatSaysSo() throws {
        let out = try FileSystem.makeTemporaryFolder()
        try writeFile(out + "/empty.geojson", Array("{\"type\": \"FeatureCollection\", \"features\": []}".utf8))
        let result = try runWIBL(["plot", out + "/empty.geojson", "-o", out + "/p.svg"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("no soundings to plot"))
        let svg = String(decoding: try readWholeFile(out + "/p.svg"), as: UTF8.self)
        #expect(svg.contains("No soundings to plot"))
    }
}
