import JSONValue
import NIOCore
import WIBLFormat

/// One edit of a logger file, as `wibl edit` takes it (after the original `editwibl`,
/// `wibl-format.md` §8).
public struct WIBLEditRequest: Sendable, Hashable {
    /// New unique id of the logger (the Metadata packet's first string).
    public var loggerID: String?
    /// New ship name (the Metadata packet's second string).
    public var shipName: String?
    /// New JSON metadata text (one line; the caller validates it).
    public var jsonMetadata: String?
    /// Algorithm requests to append.
    public var addAlgorithms: [AlgorithmRequest] = []
    /// Names of algorithms whose requests are removed (every packet with that name).
    public var removeAlgorithms: [String] = []
    /// NMEA0183 sentence types to record (appended when not already in the file).
    public var nmea0183Filters: [String] = []
    /// New serialiser version (major, minor).
    public var version: (major: UInt16, minor: UInt16)?

    /// Creates an empty request.
    public init() {}

    /// Whether the request asks for anything.
    public var isEmpty: Bool {
        loggerID == nil && shipName == nil && jsonMetadata == nil && addAlgorithms.isEmpty
            && removeAlgorithms.isEmpty && nmea0183Filters.isEmpty && version == nil
    }

    /// Equality (the tuple is compared by its fields).
    public static func == (a: WIBLEditRequest, b: WIBLEditRequest) -> Bool {
        a.loggerID == b.loggerID && a.shipName == b.shipName && a.jsonMetadata == b.jsonMetadata
            && a.addAlgorithms == b.addAlgorithms && a.removeAlgorithms == b.removeAlgorithms
            && a.nmea0183Filters == b.nmea0183Filters && a.version?.major == b.version?.major
            && a.version?.minor == b.version?.minor
    }

    /// Hashes the fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(loggerID)
        hasher.combine(shipName)
        hasher.combine(jsonMetadata)
        hasher.combine(addAlgorithms)
        hasher.combine(removeAlgorithms)
        hasher.combine(nmea0183Filters)
        hasher.combine(version?.major)
        hasher.combine(version?.minor)
    }
}

/// The edited file and what changed.
public struct WIBLEditResult: Sendable {
    /// The new file.
    public var bytes: ByteBuffer
    /// One sentence per change, in file order (replacements and removals), then the appended packets.
    public var changes: [String]
}

/// Edits `.wibl` files at the packet level: every packet the edit does not touch is copied byte for
/// byte (damaged and unknown ones included); Metadata and JSONMetadata are replaced in place (the
/// last one, which is the one readers use) or appended at the end; AlgorithmRequest and
/// NMEA0183Filter packets are appended at the end (`wibl-format.md` §2, §8).
public enum WIBLEditor {
    /// The serialiser version that introduced each packet type (`wibl-format.md` §3, §5), as
    /// `major × 1000 + minor`; types not listed exist since 1.0.
    static let sinceVersion: [UInt32: Int] = [15: 1001, 16: 1002, 17: 1002, 18: 1003, 19: 1004]

    /// Applies `request` to the file in `bytes`.
    ///
    /// - Throws: ``WIBLEditError``.
    public static func apply(_ request: WIBLEditRequest, to bytes: ByteBuffer) throws(WIBLEditError) -> WIBLEditResult {
        guard !request.isEmpty else { throw .nothingToDo }
        if let target = request.version, !(1000...1003).contains(Int(target.major) * 1000 + Int(target.minor)) {
            throw .unsupportedVersion(major: target.major, minor: target.minor)
        }
        // Decode (non-strict) for the packets' values; frame the raw packets for their bytes.
        var reader = PacketReader(bytes)
        var decoded: [Int: Packet] = [:]  // header offset → packet
        do {
            while let packet = try reader.next() { decoded[packet.offset] = packet.packet }
        } catch {
            throw .notWIBL(error)
        }
        guard let version = reader.version else {
            throw .notWIBL(.notWIBL(reason: "the file does not start with a SerialiserVersion packet"))
        }
        let frames = RawFrames(bytes)

        var changes: [String] = []
        var keep: [(frame: RawFrame, replacement: [UInt8]?)] = frames.packets.map { ($0, nil) }
        var appended: [Packet] = []

        // Serialiser version (always the first packet, D8).
        let targetVersion: SerialiserVersion
        if let target = request.version, target.major != version.major || target.minor != version.minor {
            var v = version
            v.major = target.major
            v.minor = target.minor
            if v.ordinal < 1003 { v.imu = SoftwareVersion(0, 0, 0) }
            keep[0].replacement = encode(.serialiserVersion(v))
            changes.append(
                "SerialiserVersion \(version.major).\(version.minor) → \(v.major).\(v.minor) (packet 0, in place; logger versions kept)"
            )
            targetVersion = v
        } else {
            targetVersion = version
        }

        // Metadata: the last readable one is in effect.
        if request.loggerID != nil || request.shipName != nil {
            let current = currentMetadata(keep.map(\.frame), decoded: decoded)
            let old = current.map { metadataValues($0.metadata, swapped: $0.isSwapped) }
            let new = Metadata(
                loggerName: request.loggerID ?? old?.loggerID ?? "Unknown",
                shipName: request.shipName ?? old?.shipName ?? "Unknown")
            if let current, let old {
                keep[current.position].replacement = encode(.metadata(new))
                var what: [String] = []
                if let id = request.loggerID { what.append("logger id '\(old.loggerID)' → '\(id)'") }
                if let name = request.shipName { what.append("ship name '\(old.shipName)' → '\(name)'") }
                let frame = keep[current.position].frame
                changes.append(
                    "Metadata: \(what.joined(separator: ", ")) (packet \(frame.index) at byte \(frame.offset), in place\(current.isSwapped ? "; strings written in reader order" : ""))"
                )
            } else {
                appended.append(.metadata(new))
                changes.append(
                    "Metadata appended: logger id '\(new.loggerName)', ship name '\(new.shipName)' (the file had none)")
            }
        }

        // JSON metadata: the last one is in effect.
        if let text = request.jsonMetadata {
            let packet = Packet.jsonMetadata(TextPayload(text))
            if let position = keep.indices.last(where: { isDecoded(keep[$0].frame, decoded, as: 14) }) {
                keep[position].replacement = encode(packet)
                let frame = keep[position].frame
                changes.append("JSONMetadata replaced (packet \(frame.index) at byte \(frame.offset), in place)")
            } else {
                appended.append(packet)
                changes.append("JSONMetadata appended")
            }
        }

        // Algorithm removals.
        if !request.removeAlgorithms.isEmpty {
            var removed = Set<Int>()
            for (position, item) in keep.enumerated() {
                guard case .algorithmRequest(let request0)? = decoded[item.frame.offset],
                    request.removeAlgorithms.contains(request0.name)
                else { continue }
                removed.insert(position)
                changes.append(
                    "AlgorithmRequest '\(request0.name)'\(request0.parameters.isEmpty ? "" : " (\(request0.parameters))") removed (packet \(item.frame.index) at byte \(item.frame.offset))"
                )
            }
            for name in request.removeAlgorithms
            where !keep.enumerated().contains(where: { position, item in
                guard removed.contains(position), case .algorithmRequest(let a)? = decoded[item.frame.offset] else {
                    return false
                }
                return a.name == name
            }) {
                changes.append("no AlgorithmRequest '\(name)' to remove")
            }
            keep = keep.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        }

        for algorithm in request.addAlgorithms {
            appended.append(.algorithmRequest(algorithm))
            changes.append(
                "AlgorithmRequest '\(algorithm.name)'\(algorithm.parameters.isEmpty ? "" : " (\(algorithm.parameters))") appended"
            )
        }

        if !request.nmea0183Filters.isEmpty {
            let existing = Set(
                keep.compactMap { item -> String? in
                    guard case .nmea0183Filter(let text)? = decoded[item.frame.offset] else { return nil }
                    return text.string
                })
            var seen = existing
            for sentence in request.nmea0183Filters {
                if seen.contains(sentence) {
                    changes.append("NMEA0183Filter '\(sentence)' already present")
                    continue
                }
                seen.insert(sentence)
                appended.append(.nmea0183Filter(TextPayload(sentence)))
                changes.append("NMEA0183Filter '\(sentence)' appended")
            }
        }

        // What the target version can hold: every packet the output would contain.
        var typeCounts: [UInt32: Int] = [:]
        for item in keep { typeCounts[item.frame.id, default: 0] += 1 }
        for packet in appended { typeCounts[packet.type.rawValue, default: 0] += 1 }
        let isVersionChanged = request.version != nil
        for (id, count) in typeCounts.sorted(by: { $0.key < $1.key }) {
            guard let since = sinceVersion[id], targetVersion.ordinal < since else { continue }
            let addsThisType = appended.contains { $0.type.rawValue == id }
            guard isVersionChanged || addsThisType else { continue }
            throw .versionCannotHold(
                version: "\(targetVersion.major).\(targetVersion.minor)",
                type: PacketType(rawValue: id)?.name ?? "id \(id)", since: "\(since / 1000).\(since % 1000)",
                count: count)
        }

        if !appended.isEmpty, let tail = frames.truncatedTail {
            throw .truncatedTail(offset: tail.offset, declaredLength: tail.declaredLength, available: tail.available)
        }

        var out = ByteBuffer()
        out.reserveCapacity(bytes.readableBytes + 256)
        for item in keep {
            if let replacement = item.replacement {
                out.writeBytes(replacement)
            } else {
                var slice =
                    bytes.getSlice(at: bytes.readerIndex + item.frame.offset, length: item.frame.length) ?? ByteBuffer()
                out.writeBuffer(&slice)
            }
        }
        if let tail = frames.tailRange {
            // A truncated last packet or trailing bytes: kept as they were (nothing is appended after them).
            var slice = bytes.getSlice(at: bytes.readerIndex + tail.lowerBound, length: tail.count) ?? ByteBuffer()
            out.writeBuffer(&slice)
        }
        for packet in appended { WIBLEncoder.append(packet, to: &out) }
        return WIBLEditResult(bytes: out, changes: changes)
    }

    static func encode(_ packet: Packet) -> [UInt8] {
        Array(WIBLEncoder.encode([packet]).readableBytesView)
    }

    static func isDecoded(_ frame: RawFrame, _ decoded: [Int: Packet], as id: UInt32) -> Bool {
        frame.id == id && decoded[frame.offset]?.type.rawValue == id
    }

    /// The Metadata packet in effect (the last readable one), and whether its strings are in
    /// firmware order (D7: a Setup packet names the second string as the unique id).
    static func currentMetadata(_ frames: [RawFrame], decoded: [Int: Packet]) -> (
        position: Int, metadata: Metadata, isSwapped: Bool
    )? {
        guard let position = frames.indices.last(where: { isDecoded(frames[$0], decoded, as: 12) }),
            case .metadata(let metadata)? = decoded[frames[position].offset]
        else { return nil }
        var isSwapped = false
        if metadata.loggerName != metadata.shipName {
            for frame in frames where frame.id == 18 {
                guard case .setup(let text)? = decoded[frame.offset],
                    let json = try? JSONValue.parse(text.bytes.readableBytesView),
                    json["uniqueID"]?.stringValue == metadata.shipName,
                    json["shipname"]?.stringValue == metadata.loggerName
                else { continue }
                isSwapped = true
            }
        }
        return (position, metadata, isSwapped)
    }

    static func metadataValues(_ m: Metadata, swapped: Bool) -> (loggerID: String, shipName: String) {
        swapped ? (m.shipName, m.loggerName) : (m.loggerName, m.shipName)
    }
}

/// A packet's place in the file, from its header alone.
struct RawFrame: Sendable, Hashable {
    /// 0-based packet index.
    var index: Int
    /// Offset of the header.
    var offset: Int
    /// Packet id.
    var id: UInt32
    /// Header plus payload.
    var length: Int
}

/// The framing of a file: complete packets by their headers, and what follows the last one.
struct RawFrames: Sendable {
    var packets: [RawFrame] = []
    /// Bytes after the last complete packet (a truncated header or packet), if any.
    var tailRange: Range<Int>?
    /// The truncated packet at the end, if its header is complete.
    var truncatedTail: (offset: Int, declaredLength: Int, available: Int)?

    init(_ bytes: ByteBuffer) {
        let total = bytes.readableBytes
        var offset = 0
        var index = 0
        while total - offset >= 8 {
            guard let id = bytes.getInteger(at: bytes.readerIndex + offset, endianness: .little, as: UInt32.self),
                let length = bytes.getInteger(at: bytes.readerIndex + offset + 4, endianness: .little, as: UInt32.self)
            else { break }
            let available = total - offset - 8
            guard Int(length) <= available else {
                truncatedTail = (offset, Int(length), available)
                break
            }
            packets.append(RawFrame(index: index, offset: offset, id: id, length: 8 + Int(length)))
            offset += 8 + Int(length)
            index += 1
        }
        if offset < total {
            tailRange = offset..<total
            if truncatedTail == nil { truncatedTail = (offset, 8, total - offset) }
        }
    }
}
