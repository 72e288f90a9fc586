import B12Validation
import JSONValue
import WIBLProcessing

// The document's header: skeleton, metadata merge, provider prefix and lineage
// (`geojson-b12.md` §2, §4, §5). The features are streamed by ``GeoJSONWriter/write(_:settings:to:)``.
extension GeoJSONWriter {
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

        // Step 5: lineage.
        appendLineage(of: file, settings: settings, to: &properties)
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
