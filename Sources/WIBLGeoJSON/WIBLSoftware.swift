/// This software's name and version, as lineage records and `wibl --version` give them.
public enum WIBLSoftware {
    /// The version.
    public static let version = "0.1.0"
    /// `wibl-swift-<version>`, the lineage `source`.
    public static let name = "wibl-swift-\(version)"
}
