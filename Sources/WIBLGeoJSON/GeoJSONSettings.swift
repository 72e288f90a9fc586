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
}
