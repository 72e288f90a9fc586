import JSONValue
import NIOCore
import WIBLProcessing

/// Writes the B-12 FeatureCollection of a processed file, streaming the features to a sink in
/// chunks (`geojson-b12.md`).
public enum GeoJSONWriter {
    /// Bytes gathered before each `write` to the sink.
    public static let chunkSize = 1 << 16

    /// Writes the whole document for `file` into `sink`, in chunks of about ``chunkSize`` bytes.
    ///
    /// The header (skeleton §2, metadata merge §4 steps 1–2, provider prefix and copy §4 steps 3–4,
    /// lineage §5) is built and checked first; then the features (§3) are formatted one per line
    /// into a reused buffer, so the document never exists as one `String`.
    ///
    /// - Parameters:
    ///   - file: The processing result (`processing.md` §10, §12).
    ///   - settings: Provider id, trusted-node defaults and the lineage `source`.
    ///   - sink: Receives the document.
    /// - Returns: Feature count, vessel id, time span, bounding box and warnings (G4, G6, G8).
    /// - Throws: ``GeoJSONError/badMetadata(reason:)`` (G1), ``GeoJSONError/missingLoggerID`` (G2),
    ///   ``GeoJSONError/emptyProviderID`` (G3) and ``GeoJSONError/timeOutOfRange(index:seconds:)``
    ///   (G7) before any byte reaches the sink; ``GeoJSONError/sinkFailed(reason:)`` when the sink
    ///   throws, after which the sink holds a partial document: write through
    ///   ``AtomicFile/write(to:durable:_:)`` (or discard the upload) so it is never published.
    public static func write(
        _ file: ProcessedFile, settings: GeoJSONSettings, to sink: inout some GeoJSONSink
    ) throws(GeoJSONError) -> GeoJSONSummary {
        var (header, warnings, vesselID) = try makeHeader(file, settings: settings)
        let depth = file.depth
        let count = min(depth.t.count, depth.lat.count, depth.lon.count, depth.z.count)
        // G6: a sounding with a non-finite value is never written (processing already drops them,
        // processing.md §15 P4; this is the last line of defence). G7 is checked before anything
        // is written, so that no partial document is produced.
        var start = Double.infinity
        var end = -Double.infinity
        var west = Double.infinity
        var south = Double.infinity
        var east = -Double.infinity
        var north = -Double.infinity
        var nonFinite = 0
        for n in 0..<count {
            let t = depth.t[n]
            guard t.isFinite, depth.lon[n].isFinite, depth.lat[n].isFinite, depth.z[n].isFinite else {
                nonFinite += 1
                continue
            }
            guard let (seconds, _) = B12Time.split(t), B12Time.secondsRange.contains(seconds) else {
                throw .timeOutOfRange(index: n, seconds: t)
            }
            start = min(start, t)
            end = max(end, t)
            west = min(west, depth.lon[n])
            east = max(east, depth.lon[n])
            south = min(south, depth.lat[n])
            north = max(north, depth.lat[n])
        }
        if nonFinite > 0 {
            warnings.append(
                "\(nonFinite) sounding(s) with a time, position or depth that is not a finite number were left out (G6)"
            )
        }

        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + 512)
        out.append(contentsOf: #"{"type":"FeatureCollection","crs":"#.utf8)
        (header["crs"] ?? .null).write(to: &out)
        out.append(contentsOf: #","properties":"#.utf8)
        (header["properties"] ?? .null).write(to: &out)
        out.append(contentsOf: #","features":["#.utf8)
        header = .null
        var time = B12TimeFormatter()
        var written = 0
        for n in 0..<count {
            let t = depth.t[n]
            let lon = depth.lon[n]
            let lat = depth.lat[n]
            let z = depth.z[n]
            guard t.isFinite, lon.isFinite, lat.isFinite, z.isFinite else { continue }
            out.append(contentsOf: written == 0 ? featureStart.dropFirst() : featureStart[...])
            JSONWriter.appendNumber(lon, to: &out)
            out.append(UInt8(ascii: ","))
            JSONWriter.appendNumber(lat, to: &out)
            out.append(contentsOf: featureMiddle)
            JSONWriter.appendNumber(z, to: &out)
            out.append(contentsOf: featureTime)
            _ = time.append(t, to: &out)  // range checked above
            out.append(contentsOf: featureEnd)
            written += 1
            if out.count >= chunkSize {
                try flush(&out, to: &sink)
            }
        }
        out.append(contentsOf: "\n]}\n".utf8)
        try flush(&out, to: &sink)
        return GeoJSONSummary(
            features: written, vesselID: vesselID, startTime: start, endTime: end,
            bbox: (west, south, east, north), warnings: warnings)
    }

    // The fixed bytes around each feature's values (one feature per line).
    private static let featureStart: [UInt8] = Array(
        #",\#n{"type":"Feature","geometry":{"type":"Point","coordinates":["#.utf8)
    private static let featureMiddle: [UInt8] = Array(#"]},"properties":{"depth":"#.utf8)
    private static let featureTime: [UInt8] = Array(#","time":""#.utf8)
    private static let featureEnd: [UInt8] = Array(#""}}"#.utf8)

    private static func flush(_ out: inout [UInt8], to sink: inout some GeoJSONSink) throws(GeoJSONError) {
        do {
            try sink.write(ByteBuffer(bytes: out))
        } catch {
            throw .sinkFailed(reason: "\(error)")
        }
        out.removeAll(keepingCapacity: true)
    }
}
