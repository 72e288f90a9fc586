/// Why a logger bundle (`.tgz`) could not be read (further). Members read before the error stay
/// valid: a caller that converted them keeps what it converted.
public enum BundleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input does not start with the gzip magic bytes 1f 8b (RFC 1952 §2.3.1).
    case notGzip
    /// zlib reported the compressed data as corrupt (bad header, bad block, CRC or length mismatch).
    case corruptGzip(compressedOffset: Int, reason: String)
    /// The compressed data ends before the end of the gzip stream.
    case truncatedGzip(compressedOffset: Int)
    /// A tar header is damaged (bad checksum, bad number field, unreadable pax record).
    case corruptTar(member: Int, offset: Int, reason: String)
    /// The tar archive ends inside a header or a member's data.
    case truncatedTar(member: Int, offset: Int)
    /// More bytes would be decompressed than the limit allows.
    case decompressedSizeLimit(limit: Int)
    /// The data decompresses more than the allowed ratio (a "zip bomb").
    case compressionRatioLimit(ratio: Int)
    /// The archive has more members than allowed.
    case memberCountLimit(limit: Int)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .notGzip:
            "not a gzip-compressed bundle (a .tgz starts with the bytes 1f 8b)."
        case .corruptGzip(let offset, let reason):
            "the gzip data is corrupt near compressed byte \(offset): \(reason)."
        case .truncatedGzip(let offset):
            "the gzip data ends early (after \(offset) compressed bytes): the bundle is truncated."
        case .corruptTar(let member, let offset, let reason):
            "tar member \(member) at byte \(offset) is damaged: \(reason)."
        case .truncatedTar(let member, let offset):
            "the tar archive ends inside member \(member) (at byte \(offset)): the bundle is truncated."
        case .decompressedSizeLimit(let limit):
            "the bundle decompresses to more than \(limit) bytes, the limit (WIBL_BUNDLE_MAX_BYTES)."
        case .compressionRatioLimit(let ratio):
            "the bundle decompresses more than \(ratio) times its compressed size: refused as a decompression bomb."
        case .memberCountLimit(let limit):
            "the bundle has more than \(limit) members, the limit."
        }
    }

    /// A short class name for JSON reports.
    public var errorClass: String {
        switch self {
        case .notGzip: "NotGzip"
        case .corruptGzip: "CorruptGzip"
        case .truncatedGzip: "TruncatedGzip"
        case .corruptTar: "CorruptTar"
        case .truncatedTar: "TruncatedTar"
        case .decompressedSizeLimit, .compressionRatioLimit, .memberCountLimit: "BundleLimit"
        }
    }
}

/// A member that was skipped, and why (the rest of the bundle is read on).
public enum BundleWarning: Sendable, Hashable, CustomStringConvertible {
    /// An absolute name, or one with a `..` component: it could point outside the bundle's folder.
    case unsafeName(String)
    /// A hard or symbolic link: bundles from a logger contain none, and following one is unsafe.
    case link(name: String, target: String)
    /// A device, FIFO or other special member.
    case specialMember(name: String, type: UInt8)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .unsafeName(let name): "skipped member '\(name)': absolute names and '..' are not allowed."
        case .link(let name, let target): "skipped link '\(name)' → '\(target)': links are not followed."
        case .specialMember(let name, let type):
            "skipped member '\(name)': special file (tar type '\(Unicode.Scalar(type))')."
        }
    }
}
