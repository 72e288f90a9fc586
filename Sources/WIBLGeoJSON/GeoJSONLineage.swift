import JSONValue
import WIBLProcessing

extension GeoJSONWriter {
    /// Appends one `Algorithm` record per processing step to `properties.processing`
    /// (`geojson-b12.md` §4 step 5; G5: `parameters` is always an object).
    static func appendLineage(of file: ProcessedFile, settings: GeoJSONSettings, to properties: inout JSONObject) {
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
    }
}
