extension WIBLDecodeError: CustomStringConvertible {
    /// A sentence saying what is wrong and where.
    public var description: String {
        switch self {
        case .notWIBL(let reason):
            "not a WIBL file: \(reason)."
        case .unknownPacket(let index, let offset, let id, let length):
            "packet \(index) at byte \(offset) has unknown id \(id); its \(length) bytes were skipped."
        case .truncatedPacket(let index, let offset, let id, let declared, let available):
            "packet \(index) at byte \(offset) (\(Self.name(id))) is truncated: declared \(declared) bytes, \(available) available; the file ends there."
        case .truncatedHeader(let offset, let available):
            "the file ends with \(available) stray byte(s) at byte \(offset), too few for a packet header."
        case .badPacketLength(let index, let offset, let type, let expected, let found):
            "packet \(index) at byte \(offset) (\(type.name)) has \(found) payload bytes, expected \(type.fixedPayloadLength == nil ? "at least " : "")\(expected); skipped."
        case .badString(let index, let offset, let type, let field, let declared, let available):
            "packet \(index) at byte \(offset) (\(type.name)): string '\(field)' declares \(declared) bytes but only \(available) remain in the packet; skipped."
        case .invalidUTF8(let index, let offset, let type, let field):
            "packet \(index) at byte \(offset) (\(type.name)): string '\(field)' is not valid UTF-8; skipped."
        }
    }

    /// A short class name for summaries and tags, e.g. `TruncatedPacket`.
    public var errorClass: String {
        switch self {
        case .notWIBL: "NotWIBL"
        case .unknownPacket: "UnknownPacket"
        case .truncatedPacket: "TruncatedPacket"
        case .truncatedHeader: "TruncatedHeader"
        case .badPacketLength: "BadPacketLength"
        case .badString: "BadString"
        case .invalidUTF8: "InvalidUTF8"
        }
    }

    private static func name(_ id: UInt32) -> String {
        PacketType(rawValue: id)?.name ?? "id \(id)"
    }
}
