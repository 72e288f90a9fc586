/// What a member of a logger bundle is (`wibl-format.md` §2: firmware 1.6.0 log bundles).
public enum BundleMemberKind: Sendable, Hashable {
    /// `wibl-raw.N`: a WIBL logger file.
    case wibl(number: Int)
    /// `*.jsn` (`config.jsn`, `defaults.jsn`, `catalog.jsn`): a JSON snapshot, not a WIBL file.
    case jsonSnapshot
    /// Anything else.
    case other

    /// Classifies a member by the last component of its name.
    public init(name: String) {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        let digits = base.hasPrefix("wibl-raw.") ? base.dropFirst("wibl-raw.".count) : ""
        if !digits.isEmpty, digits.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let number = Int(digits)
        {
            self = .wibl(number: number)
        } else if base.lowercased().hasSuffix(".jsn") {
            self = .jsonSnapshot
        } else {
            self = .other
        }
    }
}

/// A logger bundle (`<uniqueID>.tgz` or `wibl-logs.tgz`): a gzip-compressed tar of the logger's
/// log folder, read member by member with the caps of ``BundleLimits``.
///
/// ```swift
/// let bundle = try LoggerBundle(compressed: bytes)
/// while let member = try bundle.nextWIBLFile() { … }   // what came before an error stays valid
/// ```
public final class LoggerBundle {
    private let tar: TarReader

    /// Opens a bundle.
    ///
    /// - Throws: ``BundleError/notGzip``.
    public init(compressed: [UInt8], limits: BundleLimits = BundleLimits()) throws(BundleError) {
        tar = TarReader(try GzipInflater(compressed, limits: limits), limits: limits)
    }

    /// Members skipped so far, and why.
    public var warnings: [BundleWarning] { tar.warnings }

    /// The next regular member of any kind, or `nil` at the end.
    ///
    /// - Throws: ``BundleError``.
    public func nextMember() throws(BundleError) -> (member: TarMember, kind: BundleMemberKind)? {
        guard let member = try tar.next() else { return nil }
        return (member, BundleMemberKind(name: member.name))
    }

    /// The next `wibl-raw.N` member, or `nil` at the end (other members are passed over).
    ///
    /// - Throws: ``BundleError``.
    public func nextWIBLFile() throws(BundleError) -> TarMember? {
        while let (member, kind) = try nextMember() {
            if case .wibl = kind { return member }
        }
        return nil
    }

    /// The output name of a member: `<bundle stem>/<member base name>.geojson`, where the stem is
    /// the bundle's file name without `.tgz` / `.tar.gz`.
    public static func outputName(bundle: String, member: String) -> String {
        stem(bundle) + "/" + (member.split(separator: "/").last.map(String.init) ?? member) + ".geojson"
    }

    /// The bundle's file name without folders and without `.tgz` / `.tar.gz`.
    public static func stem(_ bundle: String) -> String {
        let base = bundle.split(separator: "/").last.map(String.init) ?? bundle
        let lower = base.lowercased()
        for suffix in [".tar.gz", ".tgz"] where lower.hasSuffix(suffix) { return String(base.dropLast(suffix.count)) }
        return base
    }

    /// Whether a file name looks like a bundle (`.tgz` or `.tar.gz`).
    public static func isBundleName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".tgz") || lower.hasSuffix(".tar.gz")
    }
}
