/// Caps that keep a hostile archive from exhausting memory or time.
public struct BundleLimits: Sendable, Hashable {
    /// The most bytes decompressed in all (tar headers and padding included). Default 256 MiB.
    public var maximumDecompressedBytes: Int = 256 << 20
    /// The most tar members (headers) read. Default 10 000 (a logger keeps at most 1 000 log files).
    public var maximumMembers: Int = 10_000
    /// The largest ratio of decompressed to compressed bytes, checked once more than
    /// ``ratioCheckThreshold`` bytes came out. Default 200 (WIBL data compresses about 3–10 times;
    /// deflate itself cannot exceed about 1 032).
    public var maximumCompressionRatio: Int = 200
    /// Output below this size is never refused for its ratio (small archives are mostly zero padding).
    public var ratioCheckThreshold: Int = 1 << 20

    /// Creates the default limits.
    public init() {}
}
