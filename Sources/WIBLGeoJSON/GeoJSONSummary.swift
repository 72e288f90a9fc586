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

    /// Equal when every field is equal (written by hand because ``bbox`` is a tuple).
    public static func == (a: GeoJSONSummary, b: GeoJSONSummary) -> Bool {
        a.features == b.features && a.vesselID == b.vesselID && a.startTime == b.startTime && a.endTime == b.endTime
            && a.bbox == b.bbox && a.warnings == b.warnings
    }

    /// Hashes the feature count and vessel id (a subset of what ``==`` compares).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(features)
        hasher.combine(vesselID)
    }
}
