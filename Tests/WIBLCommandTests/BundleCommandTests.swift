import JSONValue
import Testing
import WIBLSystem
import WIBLTestSupport

/// Logger bundles (`.tgz`) through `wibl convert`, `inspect`, `summary` and `plot`.
@Suite struct BundleCommandTests {
    /// `<folder>/<name>.tgz` made by the system's tar from some test files, as `logs/wibl-raw.N`,
    /// with a JSON snapshot beside them.
    func makeBundle(_ folder: String, name: String, files: [String]) throws -> String {
        let logs = folder + "/src-" + name + "/logs"
        try FileSystem.makeFolders(logs)
        for (n, file) in files.enumerated() {
            try writeFile(logs + "/wibl-raw.\(n)", try Fixtures.bytes("wibl/" + file))
        }
        try writeFile(logs + "/catalog.jsn", Array("{\"files\": []}".utf8))
        let path = folder + "/" + name + ".tgz"
        let tar = try runProcess("/bin/tar", ["--sort=name", "-czf", path, "-C", folder + "/src-" + name, "logs"])
        try #require(tar.status == 0, "\(tar.stderr)")
        return path
    }

    @Test func convertWritesOneGeoJSONPerMemberUnderTheBundleStem() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let bundle = try makeBundle(folder, name: "LOGGER-42", files: ["synth-v1_0.wibl", "test-algo-dedup.wibl"])
        let out = folder + "/out"
        let result = try runWIBL(["convert", bundle, "--provider-id", "UNHJHC", "--output-dir", out, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONValue.parse(Array(result.stdout.utf8))
        #expect(summary["converted"] == 2 && summary["soundings"] == 630)
        #expect(
            ((try? FileSystem.entries(of: out + "/LOGGER-42")) ?? []) == ["wibl-raw.0.geojson", "wibl-raw.1.geojson"])
        let besides = try runWIBL(["convert", bundle, "--provider-id", "UNHJHC"])
        #expect(besides.status == 0)
        #expect(
            ((try? FileSystem.entries(of: folder + "/LOGGER-42")) ?? []) == [
                "wibl-raw.0.geojson", "wibl-raw.1.geojson",
            ])
        let single = try runWIBL(["convert", bundle, "-o", folder + "/x.geojson", "--provider-id", "UNHJHC"])
        #expect(single.status == 64)
    }

    @Test func aDamagedBundleKeepsWhatConvertedBeforeTheDamage() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let bundle = try makeBundle(folder, name: "cut", files: ["synth-v1_0.wibl", "synth-n2k-1mb.wibl"])
        var bytes = try readWholeFile(bundle)
        bytes = Array(bytes.prefix(bytes.count * 3 / 4))
        try writeFile(bundle, bytes)
        let out = folder + "/out"
        let result = try runWIBL(["convert", bundle, "--provider-id", "UNHJHC", "--output-dir", out, "--json"])
        #expect(result.status == 4, "one member converted, then the bundle failed as damaged")
        let summary = try JSONValue.parse(Array(result.stdout.utf8))
        let files = try #require(summary["files"]?.arrayValue)
        #expect(files.first?["file"]?.stringValue == bundle + "/logs/wibl-raw.0")
        #expect(files.last?["errorClass"] == "TruncatedGzip")
        #expect(
            ((try? FileSystem.entries(of: out + "/cut")) ?? []) == ["wibl-raw.0.geojson"],
            "the first member's output is kept; no partial file")
        let notGzip = folder + "/fake.tgz"
        try writeFile(notGzip, Array("plain text".utf8))
        let fake = try runWIBL(["convert", notGzip, "--provider-id", "UNHJHC"])
        #expect(fake.status == 4)
        #expect(fake.stderr.contains("not a gzip-compressed bundle"))
    }

    @Test func inspectSummaryAndPlotReadBundles() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let bundle = try makeBundle(folder, name: "wibl-logs", files: ["synth-v1_0.wibl", "test-algo-dedup.wibl"])
        let inspect = try runWIBL(["inspect", bundle, "--json"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let entries = try #require(try JSONValue.parse(Array(inspect.stdout.utf8))["files"]?.arrayValue)
        #expect(
            entries.map { $0["file"]?.stringValue ?? "" } == ["\(bundle)/logs/wibl-raw.0", "\(bundle)/logs/wibl-raw.1"])
        #expect(entries.first?["packets"]?["Depth"] != nil)
        let summary = try runWIBL(["summary", bundle, "--provider-id", "UNHJHC", "--json"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let report = try JSONValue.parse(Array(summary.stdout.utf8))
        #expect(report["totals"]?["files"] == 2 && report["totals"]?["soundings"] == 630)
        let plot = try runWIBL(["plot", bundle, "-o", folder + "/p.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        #expect(plot.stdout.contains("630 soundings"))
    }

    @Test func aPlotStopsAtARefusedMemberAndWritesNothing() throws {
        let folder = try FileSystem.makeTemporaryFolder()
        let bundle = try makeBundle(folder, name: "mixed", files: ["synth-v1_0.wibl", "test-algo-unknown.wibl"])
        let plot = try runWIBL(["plot", bundle, "-o", folder + "/p.svg"])
        #expect(plot.status == 5, "the second member requests an unknown algorithm")
        #expect(plot.stderr.contains("Unknown algorithm 'magicalgorithm'"))
        #expect(!((try? FileSystem.entries(of: folder)) ?? []).contains("p.svg"))
    }
}
