import B12Validation
import JSONValue
import NIOCore
import Testing
import WIBLGeoJSON
import WIBLProcessing
import WIBLTestSupport

/// `geojson-b12.md` §3, §6 and deviations G6, G7.
@Suite struct GeoJSONWriterTests {
    @Test func featuresAreLongitudeFirstInFileOrderWithB12Times() throws {
        var file = makeProcessedFile(count: 0)
        file.depth.t = [1_577_836_801.187, 1_577_836_800.5]  // not sorted: order is kept
        file.depth.lon = [-70.5, 10.0]
        file.depth.lat = [43.25, -1e-05]
        file.depth.z = [-1e9, 12.5]
        let (document, summary, sink) = try writeAndParse(file)
        let features = try #require(document["features"]?.arrayValue)
        #expect(features.count == 2)
        #expect(
            features[0]
                == [
                    "type": "Feature", "geometry": ["type": "Point", "coordinates": [-70.5, 43.25]],
                    "properties": ["depth": -1e9, "time": "2020-01-01T00:00:01.187000Z"],
                ])
        #expect(features[1]["properties"]?["time"] == "2020-01-01T00:00:00.500000Z")
        #expect(features[1]["geometry"]?["coordinates"] == [10.0, -1e-05])
        #expect(summary.features == 2)
        #expect(summary.startTime == 1_577_836_800.5 && summary.endTime == 1_577_836_801.187)
        #expect(sink.bytes.allSatisfy { $0 < 0x80 }, "ASCII only")
    }

    @Test func streamsInChunksAndTheDocumentParsesBack() throws {
        let file = makeProcessedFile(count: 2_000)
        let (document, summary, sink) = try writeAndParse(file)
        #expect(sink.chunks > 2, "a 2000-feature document arrives in several chunks")
        #expect(summary.features == 2_000)
        let features = try #require(document["features"]?.arrayValue)
        #expect(features.count == 2_000)
        for (n, feature) in features.enumerated() {
            let coordinates = feature["geometry"]?["coordinates"]
            #expect(coordinates?[0]?.doubleValue == file.depth.lon[n])
            #expect(coordinates?[1]?.doubleValue == file.depth.lat[n])
            #expect(feature["properties"]?["depth"]?.doubleValue == file.depth.z[n])
        }
        #expect(B12Validator.check(document).isEmpty)
    }

    @Test func emptyDepthSeriesGivesAnEmptyFeatureArray() throws {
        let (document, summary, _) = try writeAndParse(makeProcessedFile(count: 0))
        #expect(document["features"] == [])
        #expect(summary.features == 0)
    }

    @Test func nonASCIITextIsEscaped() throws {
        let (document, _, sink) = try writeAndParse(makeProcessedFile(platformName: "Île d'Yeu ⚓︎ 🚢"))
        #expect(sink.bytes.allSatisfy { $0 < 0x80 })
        #expect(document["properties"]?["platform"]?["name"] == "Île d'Yeu ⚓︎ 🚢")
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func g6NonFiniteValuesAreNeverWritten(_ bad: Double) throws {
        for field in 0..<4 {
            var file = makeProcessedFile(count: 3)
            switch field {
            case 0: file.depth.t[1] = bad
            case 1: file.depth.lat[1] = bad
            case 2: file.depth.lon[1] = bad
            default: file.depth.z[1] = bad
            }
            let (document, summary, sink) = try writeAndParse(file)
            let text = String(decoding: sink.bytes, as: UTF8.self)
            #expect(!text.contains("nan") && !text.contains("inf") && !text.contains("NaN") && !text.contains("null"))
            #expect(document["features"]?.arrayValue?.count == 2)
            #expect(summary.features == 2)
            #expect(summary.warnings.contains { $0.contains("G6") })
        }
    }

    @Test(arguments: [-62_135_596_801.0, 253_402_300_800, 1e13])
    func g7TimeOutsideYears1To9999FailsNamingTheSounding(_ t: Double) {
        var file = makeProcessedFile(count: 5)
        file.depth.t[3] = t
        var sink = MemorySink()
        #expect(throws: GeoJSONError.timeOutOfRange(index: 3, seconds: t)) {
            _ = try GeoJSONWriter.write(file, settings: settings, to: &sink)
        }
        #expect(sink.bytes.isEmpty, "nothing is written before the check")
        #expect(GeoJSONError.timeOutOfRange(index: 3, seconds: t).description.contains("sounding 3"))
    }

    @Test func sinkFailureIsReported() {
        struct FailingSink: GeoJSONSink {
            struct Full: Error, CustomStringConvertible { var description: String { "disk full" } }
            mutating func write(_ chunk: ByteBuffer) throws { throw Full() }
        }
        var sink = FailingSink()
        #expect(throws: GeoJSONError.sinkFailed(reason: "disk full")) {
            _ = try GeoJSONWriter.write(makeProcessedFile(), settings: settings, to: &sink)
        }
    }
}
