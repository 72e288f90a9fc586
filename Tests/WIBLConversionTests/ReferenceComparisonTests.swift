import JSONValue
import NIOCore
import Testing
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLTestSupport

/// The settings the reference outputs were made with (`testdata/wibl/README.md`).
let referenceSettings = GeoJSONSettings(providerID: "UNHJHC", software: "wibl-swift-test")
let now: Int64 = 1_795_000_000_000_000  // 2026-11-18

/// Converts `testdata/wibl/<name>`; a missing fixture is an error, never an empty file.
func convert(_ name: String, configuration: ProcessingConfiguration = .init()) throws -> (
    JSONValue, ConversionResult
) {
    let bytes = try Fixtures.bytes("wibl/" + name)
    var sink = MemorySink()
    let result = try WIBLConversion.convert(
        ByteBuffer(bytes: bytes), fileName: name, configuration: configuration, settings: referenceSettings,
        nowMicroseconds: now, to: &sink)
    guard let json = try? JSONValue.parse(sink.bytes) else {
        Issue.record("the output of \(name) is not JSON")
        return (.null, result)
    }
    return (json, result)
}

/// Compares per `geojson-b12.md` §6: same features in the same order, time equal to the
/// microsecond, lon/lat within 1e-9°, depth within 1e-6 m, crs and properties equal except lineage
/// `timestamp`/`source`, and the reference's `"parameters": ""` taken as `{}` (G5).
func compare(_ ours: JSONValue, _ reference: JSONValue, file: String) {
    #expect(ours["crs"] == reference["crs"], "crs of \(file)")
    #expect(normalised(ours["properties"]) == normalised(reference["properties"]), "properties of \(file)")
    let a = ours["features"]?.arrayValue ?? []
    let b = reference["features"]?.arrayValue ?? []
    #expect(a.count == b.count, "feature count of \(file)")
    var worst = (lon: 0.0, lat: 0.0, depth: 0.0)
    var timeMismatches = 0
    var missingValues = 0
    /// The absolute difference; a value missing on either side counts (Swift's `max` would drop NaN).
    func difference(_ x: JSONValue?, _ y: JSONValue?) -> Double {
        guard let u = x?.doubleValue, let v = y?.doubleValue, u.isFinite, v.isFinite else {
            missingValues += 1
            return 0
        }
        return abs(u - v)
    }
    for (x, y) in zip(a, b) {
        if x["properties"]?["time"] != y["properties"]?["time"] { timeMismatches += 1 }
        worst.lon = max(worst.lon, difference(x["geometry"]?["coordinates"]?[0], y["geometry"]?["coordinates"]?[0]))
        worst.lat = max(worst.lat, difference(x["geometry"]?["coordinates"]?[1], y["geometry"]?["coordinates"]?[1]))
        worst.depth = max(worst.depth, difference(x["properties"]?["depth"], y["properties"]?["depth"]))
    }
    #expect(missingValues == 0, "\(missingValues) missing or non-finite coordinates or depths in \(file)")
    #expect(timeMismatches == 0, "\(timeMismatches) time mismatches in \(file)")
    #expect(worst.lon <= 1e-9 && worst.lat <= 1e-9, "position differences \(worst) in \(file)")
    #expect(worst.depth <= 1e-6, "depth difference \(worst.depth) in \(file)")
}

/// Properties with the run-dependent lineage fields removed and `""` parameters read as `{}`.
func normalised(_ properties: JSONValue?) -> JSONValue? {
    guard var properties else { return nil }
    if let processing = properties["processing"]?.arrayValue {
        properties["processing"] = .array(
            processing.map { entry in
                var e = entry
                e["timestamp"] = nil
                e["source"] = nil
                if e["parameters"] == "" { e["parameters"] = .object([:]) }
                return e
            })
    }
    return properties
}

@Suite struct ReferenceComparisonTests {
    static let referenced = Fixtures.files(in: "wibl", suffix: ".reference.geojson").map {
        String($0.dropLast(".reference.geojson".count)) + ".wibl"
    }

    @Test func everyReferenceFileIsThere() {
        #expect(Self.referenced.count == 6, "testdata/wibl holds six reference outputs")
    }

    @Test func aMissingCoordinateFailsTheComparison() {
        let reference: JSONValue = [
            "features": [["geometry": ["coordinates": [1.0, 2.0]], "properties": ["depth": 3.0, "time": "t"]]]
        ]
        let ours: JSONValue = [
            "features": [["geometry": ["coordinates": [1.0]], "properties": ["depth": 3.0, "time": "t"]]]
        ]
        withKnownIssue("a coordinate is missing: the comparison must fail") {
            compare(ours, reference, file: "synthetic")
        }
    }

    @Test(arguments: referenced)
    func outputMatchesTheReference(_ name: String) throws {
        let (ours, _) = try convert(name)
        let referenceName = String(name.dropLast(5)) + ".reference.geojson"
        let reference = try JSONValue.parse(try Fixtures.bytes("wibl/" + referenceName))
        compare(ours, reference, file: name)
        let expected = [
            "test-algo-dedup.wibl": 234, "test-bin-algo-nodatafilter.wibl": 218, "synth-n2k-1mb.wibl": 4698,
            "synth-n0183-1mb.wibl": 4002, "synth-meta-1mb.wibl": 4282, "synth-v1_0.wibl": 396,
        ]
        #expect(
            ours["features"]?.arrayValue?.count == expected[name], "feature count listed in testdata/wibl/README.md")
    }

    @Test(arguments: [("test-algo-unknown.wibl", "magicalgorithm"), ("test-algo-nodatafilter.wibl", "nodatafilter")])
    func refusedFilesFailWithUnknownAlgorithm(_ name: String, _ algorithm: String) {
        #expect(throws: ConversionError.processing(.unknownAlgorithm(name: algorithm, fileName: name))) {
            _ = try convert(name)
        }
        let message = ProcessingError.unknownAlgorithm(name: algorithm, fileName: name).description
        #expect(message == "Unknown algorithm '\(algorithm)' for \(name).")
    }

    @Test func lineageCommentsAreTheSpecsExamples() throws {
        let (dedup, _) = try convert("test-algo-dedup.wibl")
        #expect(
            dedup["properties"]?["processing"]?[0]?["comment"] == "Selected 234 non-duplicate depths from 277 in input."
        )
        #expect(dedup["properties"]?["processing"]?[0]?["parameters"] == .object([:]))
        #expect(dedup["properties"]?["platform"]?["dataProcessed"] == true)
        let (nodata, _) = try convert("test-bin-algo-nodatafilter.wibl")
        #expect(
            nodata["properties"]?["processing"]?[0]?["comment"]
                == "Filtered 97 packets of 975 total. Filtered 29 of 181 GNSS packets. Filtered 29 of 124 Depth packets. Filtered 39 of 181 SystemTime packets."
        )
    }

    /// G8: the reference inputs give documents that fail B-12 checks because of the input itself.
    @Test func inputCausedValidationProblemsAreReported() throws {
        let (_, n2k) = try convert("synth-n2k-1mb.wibl")
        #expect(n2k.summary.warnings.contains { $0.contains("uniqueVesselID") && $0.contains("UNHJHC-Gulf Surveyor") })
        let (_, meta) = try convert("synth-meta-1mb.wibl")
        #expect(meta.summary.warnings.contains { $0.contains("platform.length") && $0.contains("12.5") })
    }
}
