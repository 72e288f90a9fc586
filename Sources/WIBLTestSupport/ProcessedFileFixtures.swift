import JSONValue
import NIOCore
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing

/// A processed file for the GeoJSON tests, with `count` synthetic soundings starting 2020-01-01T00:00:00Z, one per second.
public func makeProcessedFile(
    loggerName: String? = "0c2c3f58-24a4-448f-a538-ccca22993ed7", platformName: String? = "Gulf Surveyor",
    metadata: String? = nil, count: Int = 3, lineage: [LineageRecord] = []
) -> ProcessedFile {
    var depth = DepthSeries()
    for n in 0..<count {
        depth.t.append(1_577_836_800 + Double(n) + 0.187)
        depth.lat.append(43.0 + Double(n) * 1e-5)
        depth.lon.append(-70.5 - Double(n) * 1e-5)
        depth.z.append(10.0 + Double(n % 7) * 0.25)
    }
    return ProcessedFile(
        loggerName: loggerName, platformName: platformName, loggerVersion: "1.3/1.0.0/1.0.0",
        jsonMetadata: metadata.map { TextPayload($0) }, algorithms: [], depth: depth, lineage: lineage)
}

/// Test settings: provider `UNHJHC`, software `wibl-swift-test`.
public let settings = GeoJSONSettings(providerID: "UNHJHC", software: "wibl-swift-test")

/// Writes `file` into memory and parses the result back.
public func writeAndParse(
    _ file: ProcessedFile, settings: GeoJSONSettings = settings
) throws -> (document: JSONValue, summary: GeoJSONSummary, sink: MemorySink) {
    var sink = MemorySink()
    let summary = try GeoJSONWriter.write(file, settings: settings, to: &sink)
    return (try JSONValue.parse(sink.bytes), summary, sink)
}

/// The header of the document for `file` (no features).
public func properties(of file: ProcessedFile, settings: GeoJSONSettings = settings) throws -> JSONValue {
    try writeAndParse(file, settings: settings).document["properties"] ?? .null
}

extension JSONValue {
    /// The keys of an object, in order.
    public var keyList: [String] { objectValue?.keys ?? [] }
}
