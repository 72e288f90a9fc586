import NIOCore

/// Decoder options (`processing.md` §2 `strict_mode`).
public struct DecodingOptions: Sendable, Hashable {
    /// Strict: the first recoverable problem is thrown instead of reported (`wibl-format.md` §6.4).
    public var isStrict: Bool

    /// Creates options; non-strict by default, as the original.
    public init(isStrict: Bool = false) { self.isStrict = isStrict }
}

/// A packet and where it was found.
public struct DecodedPacket: Sendable, Hashable {
    /// 0-based index of the packet in the file, counting every header read (skipped ones too).
    public var index: Int
    /// Byte offset of the packet's header.
    public var offset: Int
    /// The packet.
    public var packet: Packet

    /// Creates a decoded packet.
    public init(index: Int, offset: Int, packet: Packet) {
        self.index = index
        self.offset = offset
        self.packet = packet
    }
}

/// A whole decoded file: its packets in file order and the problems met on the way.
public struct WIBLFile: Sendable {
    /// Every packet the decoder could read, in file order (skipped packets are absent).
    public var packets: [Packet]
    /// Problems reported in non-strict mode (empty for a clean file).
    public var problems: [WIBLDecodeError]
    /// Size of the input in bytes.
    public var byteCount: Int

    /// Creates a file value.
    public init(packets: [Packet], problems: [WIBLDecodeError], byteCount: Int) {
        self.packets = packets
        self.problems = problems
        self.byteCount = byteCount
    }
}
