import NIOCore

/// Reads the packets of a `.wibl` file one by one, in place over its bytes (`wibl-format.md` §2, §6, §7).
///
/// Payload texts and sentences are slices of the input buffer, never copies. Every call consumes at
/// least one header (8 bytes) or ends the file, so no input can make the reader loop without
/// progress; declared lengths are checked against the bytes available before anything is sliced.
public struct PacketReader: Sendable {
    let buffer: ByteBuffer
    /// Offset of the next header, relative to the buffer's reader index.
    private var offset = 0
    private var nextIndex = 0
    private var isFinished = false
    /// The decoding options.
    public let options: DecodingOptions
    /// The file's SerialiserVersion (its first packet), known after the first call to ``next()``.
    public private(set) var version: SerialiserVersion?
    /// Problems met so far in non-strict mode, in file order.
    public private(set) var problems: [WIBLDecodeError] = []

    /// Creates a reader over the readable bytes of `buffer`.
    public init(_ buffer: ByteBuffer, options: DecodingOptions = .init()) {
        self.buffer = buffer
        self.options = options
    }

    /// The number of bytes consumed so far.
    public var bytesRead: Int { offset }

    /// The next packet, or `nil` at the end of the file (or after a problem that ends reading).
    ///
    /// - Throws: ``WIBLDecodeError/notWIBL(reason:)`` when the file does not start with a complete
    ///   SerialiserVersion packet (D8); in strict mode, the first problem of any kind (D1–D5).
    public mutating func next() throws(WIBLDecodeError) -> DecodedPacket? {
        if version == nil, !isFinished { try readVersion() }
        while !isFinished {
            let total = buffer.readableBytes
            let remaining = total - offset
            if remaining == 0 {
                isFinished = true
                return nil
            }
            if remaining < 8 {
                isFinished = true
                try report(.truncatedHeader(offset: offset, available: remaining))
                return nil
            }
            let headerOffset = offset
            let index = nextIndex
            nextIndex += 1
            let (id, length) = header(at: headerOffset)
            let available = remaining - 8
            guard length <= available else {
                isFinished = true
                try report(
                    .truncatedPacket(
                        index: index, offset: headerOffset, id: id, declaredLength: length, available: available))
                return nil
            }
            offset = headerOffset + 8 + length
            guard let type = PacketType(rawValue: id), type != .rawGNSS || (version?.ordinal ?? 0) >= 1004 else {
                try report(.unknownPacket(index: index, offset: headerOffset, id: id, length: length))
                continue
            }
            switch decodePayload(type, at: headerOffset + 8, length: length, index: index, headerOffset: headerOffset) {
            case .success(let packet):
                return DecodedPacket(index: index, offset: headerOffset, packet: packet)
            case .failure(let problem):
                try report(problem)
            }
        }
        return nil
    }

    private mutating func report(_ problem: WIBLDecodeError) throws(WIBLDecodeError) {
        if options.isStrict { throw problem }
        problems.append(problem)
    }

    /// D8: the first packet must be a complete SerialiserVersion.
    private mutating func readVersion() throws(WIBLDecodeError) {
        let total = buffer.readableBytes
        guard total >= 8 else {
            isFinished = true
            throw .notWIBL(reason: "the file is \(total) bytes long, shorter than one packet header")
        }
        let (id, length) = header(at: 0)
        guard id == PacketType.serialiserVersion.rawValue else {
            isFinished = true
            throw .notWIBL(reason: "its first packet has id \(id), not 0 (SerialiserVersion)")
        }
        guard length <= total - 8 else {
            isFinished = true
            throw .notWIBL(reason: "its SerialiserVersion packet declares \(length) bytes but only \(total - 8) follow")
        }
        guard
            case .success(.serialiserVersion(let parsed)) =
                decodePayload(.serialiserVersion, at: 8, length: length, index: 0, headerOffset: 0)
        else {
            isFinished = true
            throw .notWIBL(reason: "its SerialiserVersion packet is \(length) bytes, too short for its version")
        }
        version = parsed
    }

    func header(at position: Int) -> (id: UInt32, length: Int) {
        buffer.withUnsafeReadableBytes { raw in
            (raw.u32(position), Int(raw.u32(position + 4)))
        }
    }

    func slice(_ position: Int, _ length: Int) -> ByteBuffer {
        // In range by construction: callers check `position + length` against the payload, which
        // is inside the readable bytes.
        buffer.getSlice(at: buffer.readerIndex + position, length: length) ?? ByteBuffer()
    }
}

extension WIBLFile {
    /// Decodes a whole file.
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes (the readable bytes of the buffer).
    ///   - options: Strict or not (`processing.md` §2 `strict_mode`).
    /// - Returns: The packets in file order and, in non-strict mode, the problems met.
    /// - Throws: ``WIBLDecodeError/notWIBL(reason:)`` (D8), or the first problem in strict mode.
    public static func decode(_ bytes: ByteBuffer, options: DecodingOptions = .init()) throws(WIBLDecodeError)
        -> WIBLFile
    {
        var reader = PacketReader(bytes, options: options)
        var packets: [Packet] = []
        // A cheap, safe estimate: typical packets are 40–100 bytes.
        packets.reserveCapacity(bytes.readableBytes / 64)
        while let decoded = try reader.next() { packets.append(decoded.packet) }
        return WIBLFile(packets: packets, problems: reader.problems, byteCount: bytes.readableBytes)
    }
}
