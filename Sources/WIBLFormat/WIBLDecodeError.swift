/// Everything that can be wrong with the bytes of a `.wibl` file (`wibl-format.md` §7, D1–D9).
///
/// In non-strict mode the recoverable cases are *reported* in ``WIBLFile/problems`` and decoding
/// goes on; in strict mode the first one is thrown. ``notWIBL`` is always thrown.
/// Every case carries the 0-based packet index and the byte offset of the packet's header.
public enum WIBLDecodeError: Error, Sendable, Hashable {
    /// D8: the file is shorter than one header, or does not start with a complete
    /// SerialiserVersion packet.
    case notWIBL(reason: String)
    /// D1: an id that is not a known packet type; its `length` bytes were skipped.
    case unknownPacket(index: Int, offset: Int, id: UInt32, length: Int)
    /// D2: the declared payload length runs past the end of the file; reading stops.
    case truncatedPacket(index: Int, offset: Int, id: UInt32, declaredLength: Int, available: Int)
    /// D3: 1–7 bytes after the last complete packet.
    case truncatedHeader(offset: Int, available: Int)
    /// D4: a payload whose length does not fit the packet's layout.
    case badPacketLength(index: Int, offset: Int, type: PacketType, expected: Int, found: Int)
    /// D4: a length-prefixed string that runs past the end of its payload.
    case badString(index: Int, offset: Int, type: PacketType, field: String, declaredLength: Int, available: Int)
    /// D5: text that must be UTF-8 and is not.
    case invalidUTF8(index: Int, offset: Int, type: PacketType, field: String)
}
