import JSONValue
import WIBLFormat
import WIBLProcessing

/// What the trusted node puts into every document (`geojson-b12.md` §2, §4, §5).
public struct GeoJSONSettings: Sendable, Hashable {
    /// The provider id (e.g. `UNHJHC`) that prefixes the vessel id (§4 step 3, G3).
    public var providerID: String
    /// `trustedNode.providerOrganizationName` default.
    public var providerOrganizationName: String = "CCOM/JHC, UNH"
    /// `trustedNode.providerEmail` default.
    public var providerEmail: String = "wibl@ccom.unh.edu"
    /// `source` of the lineage records, e.g. `wibl-swift-0.1.0`.
    public var software: String

    /// Creates settings.
    public init(providerID: String, software: String) {
        self.providerID = providerID
        self.software = software
    }

    /// Settings for this software, with the trusted-node values of `configuration`.
    public init(providerID: String, configuration: ProcessingConfiguration) {
        self.init(providerID: providerID, software: WIBLSoftware.name)
        providerOrganizationName = configuration.providerOrganizationName
        providerEmail = configuration.providerEmail
    }
}

/// This software's name and version, as lineage records and `wibl --version` give them.
public enum WIBLSoftware {
    /// The version.
    public static let version = "0.1.0"
    /// `wibl-swift-<version>`, the lineage `source`.
    public static let name = "wibl-swift-\(version)"
}

/// What was written, for summaries and object tags.
public struct GeoJSONSummary: Sendable, Hashable {
    /// Number of features.
    public var features: Int
    /// `trustedNode.uniqueVesselID` as written.
    public var vesselID: String
    /// Earliest sounding time, seconds since the epoch (+∞ without features).
    public var startTime: Double
    /// Latest sounding time, seconds since the epoch (−∞ without features).
    public var endTime: Double
    /// Bounding box: west, south, east, north (degrees).
    public var bbox: (west: Double, south: Double, east: Double, north: Double)
    /// Warnings, as sentences: legacy metadata layout (G4), soundings left out because a value was
    /// not finite (G6), and problems that make the document fail csbschema (G8).
    public var warnings: [String]

    public static func == (a: GeoJSONSummary, b: GeoJSONSummary) -> Bool {
        a.features == b.features && a.vesselID == b.vesselID && a.startTime == b.startTime && a.endTime == b.endTime
            && a.bbox == b.bbox && a.warnings == b.warnings
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(features)
        hasher.combine(vesselID)
    }
}

/// Why a document could not be written (`geojson-b12.md` §8).
public enum GeoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// G1: the file's JSON metadata is unusable.
    case badMetadata(reason: String)
    /// G2: no logger id, or a `uniqueVesselID` that is not a string.
    case missingLoggerID
    /// G3: the provider id is empty.
    case emptyProviderID
    /// G7: a sounding's time is outside years 0001–9999.
    case timeOutOfRange(index: Int, seconds: Double)
    /// The sink failed.
    case sinkFailed(reason: String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .badMetadata(let reason): "the file's JSON metadata cannot be used: \(reason)."
        case .missingLoggerID:
            "the file has no logger id (no Metadata packet and no uniqueVesselID string in its JSON metadata)."
        case .emptyProviderID: "the provider id is empty."
        case .timeOutOfRange(let index, let seconds):
            "sounding \(index) has time \(seconds) s, outside the years 0001–9999."
        case .sinkFailed(let reason): "the GeoJSON could not be written: \(reason)"
        }
    }

    /// A short class name for summaries and tags.
    public var errorClass: String {
        switch self {
        case .badMetadata: "BadMetadata"
        case .missingLoggerID: "MissingLoggerID"
        case .emptyProviderID: "EmptyProviderID"
        case .timeOutOfRange: "TimeOutOfRange"
        case .sinkFailed: "WriteFailed"
        }
    }
}

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
            try sink.write(out)
        } catch {
            throw .sinkFailed(reason: "\(error)")
        }
        out.removeAll(keepingCapacity: true)
    }

    /// The document without its features: skeleton, merged metadata, vessel id, lineage
    /// (`geojson-b12.md` §2, §4, §5).
    static func makeHeader(
        _ file: ProcessedFile, settings: GeoJSONSettings
    ) throws(GeoJSONError) -> (JSONValue, [String], String) {
        guard !settings.providerID.isEmpty else { throw .emptyProviderID }
        var warnings: [String] = []
        let loggerName: JSONValue = file.loggerName.map(JSONValue.string) ?? .null
        var trustedNode: JSONObject = [
            "providerOrganizationName": .string(settings.providerOrganizationName),
            "providerEmail": .string(settings.providerEmail),
            "uniqueVesselID": loggerName,
            "convention": "GeoJSON CSB 3.1",
            "dataLicense": "CC0 1.0",
            "providerLogger": "WIBL",
            "providerLoggerVersion": .string(file.loggerVersion),
            "navigationCRS": "EPSG:4326",
            "verticalReferenceOfDepth": "Transducer",
            "vesselPositionReferencePoint": "GNSS",
        ]
        let platform: JSONObject = [
            "uniqueID": loggerName,
            "type": "Ship",
            "name": file.platformName.map(JSONValue.string) ?? .null,
            "soundSpeedDocumented": false,
            "positionOffsetsDocumented": false,
            "dataProcessed": false,
        ]
        var document: JSONObject = [
            "crs": ["type": "name", "properties": ["name": "EPSG:4326"]],
            "properties": .object(["trustedNode": .object(trustedNode), "platform": .object(platform)]),
        ]

        // Steps 1–2: merge the file's JSON metadata (G1, G4).
        if let text = file.jsonMetadata {
            let metadata: JSONValue
            do throws(JSONParseError) {
                metadata = try JSONValue.parse(text.bytes.readableBytesView, maximumValues: PacketLimits.jsonValues)
            } catch {
                if case .tooManyValues(let limit, _) = error {
                    throw .badMetadata(reason: "it holds more than \(limit) JSON values, the most one packet may hold")
                }
                throw .badMetadata(reason: "it is not valid JSON (\(error))")
            }
            guard var object = metadata.objectValue else {
                throw .badMetadata(reason: "it is a JSON \(metadata.typeName), not an object")
            }
            if object["properties"] == nil {
                var legacy = JSONObject()
                for key in ["trustedNode", "platform", "processing"] {
                    if let value = object[key] { legacy[key] = value }
                }
                if !legacy.isEmpty {
                    object["properties"] = .object(legacy)
                    warnings.append(
                        "the JSON metadata uses the legacy layout (trustedNode/platform/processing at its root); merged as if inside 'properties'"
                    )
                }
            }
            if let processing = object["properties"]?["processing"], processing.arrayValue == nil {
                throw .badMetadata(reason: "'properties.processing' is a \(processing.typeName), not an array")
            }
            if let crs = object["crs"] { document["crs"] = crs }
            if case .object(let properties)? = object["properties"], case .object(var base)? = document["properties"] {
                merge(&base, properties)
                document["properties"] = .object(base)
            }
        }

        guard case .object(var properties)? = document["properties"] else {
            throw .badMetadata(reason: "'properties' is not an object")
        }
        guard case .object(let mergedTrustedNode)? = properties["trustedNode"] else {
            throw .badMetadata(reason: "'properties.trustedNode' is not an object")
        }
        trustedNode = mergedTrustedNode
        guard case .object(var mergedPlatform)? = properties["platform"] else {
            throw .badMetadata(reason: "'properties.platform' is not an object")
        }
        // Steps 3–4: provider prefix (G3: a prefix test) and copy to platform.uniqueID (G2).
        guard case .string(var vesselID)? = trustedNode["uniqueVesselID"] else { throw .missingLoggerID }
        if !vesselID.hasPrefix(settings.providerID + "-") {
            vesselID = settings.providerID + "-" + vesselID
        }
        trustedNode["uniqueVesselID"] = .string(vesselID)
        properties["trustedNode"] = .object(trustedNode)
        mergedPlatform["uniqueID"] = .string(vesselID)

        // Step 5: lineage (G5: parameters always an object).
        if !file.lineage.isEmpty {
            var processing = properties["processing"]?.arrayValue ?? []
            for record in file.lineage {
                var parameters = JSONObject()
                for p in record.parameters { parameters[p.key] = .string(p.value) }
                processing.append(
                    .object([
                        "type": "Algorithm",
                        "timestamp": .string(B12Time.format(microseconds: record.timestampMicroseconds)),
                        "name": .string(record.name),
                        "parameters": .object(parameters),
                        "source": .string(settings.software),
                        "version": .string(record.version),
                        "comment": .string(record.comment),
                    ]))
            }
            properties["processing"] = .array(processing)
        }
        if let processing = properties["processing"]?.arrayValue, !processing.isEmpty {
            mergedPlatform["dataProcessed"] = true
        }
        properties["platform"] = .object(mergedPlatform)
        document["properties"] = .object(properties)

        // G8: problems caused by the input that csbschema will report.
        let header: JSONValue = .object(document)
        let skeleton: JSONValue = .object([
            "type": "FeatureCollection", "crs": document["crs"] ?? .null, "properties": .object(properties),
            "features": [],
        ])
        // platform.uniqueID is a copy of the vessel id: its problem is the vessel id's, said once.
        for issue in B12Validator.check(skeleton) where issue.path != "properties.platform.uniqueID" {
            warnings.append("the output will fail csbschema validation: \(issue)")
        }
        return (header, warnings, vesselID)
    }

    /// The deep merge of `geojson-b12.md` §4 step 2.
    static func merge(_ base: inout JSONObject, _ new: JSONObject) {
        for (key, value) in new {
            if let existing = base[key] {
                base[key] = combine(existing, value)
            } else {
                base[key] = value
            }
        }
    }

    static func combine(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        switch (a, b) {
        case (.object(var x), .object(let y)):
            merge(&x, y)
            return .object(x)
        case (.array(let x), .array(let y)):
            return .array(x + y)
        default:
            return b
        }
    }
}
