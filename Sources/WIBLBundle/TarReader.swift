/// A source of decompressed bytes for ``TarReader`` (the gzip inflater, or plain bytes in tests).
public protocol TarByteSource: AnyObject {
    /// Up to `count` bytes (fewer only at the end).
    func read(_ count: Int) throws(BundleError) -> [UInt8]
    /// Skips up to `count` bytes; returns how many were skipped.
    func skip(_ count: Int) throws(BundleError) -> Int
}

extension GzipInflater: TarByteSource {}

/// Plain bytes as a ``TarByteSource`` (an uncompressed `.tar`, tests, the fuzzer).
public final class TarBytes: TarByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Up to `count` bytes.
    public func read(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }

    /// Skips up to `count` bytes.
    public func skip(_ count: Int) -> Int {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = end }
        return end - offset
    }
}

/// One regular file read from a tar archive.
public struct TarMember: Sendable, Hashable {
    /// Its path inside the archive (pax `path`, else ustar prefix + name, else GNU long name).
    public var name: String
    /// Its bytes.
    public var bytes: [UInt8]
    /// 0-based index of its header among all headers read.
    public var index: Int
}

/// Reads the regular files of a tar archive one by one: POSIX ustar headers, pax extended headers
/// (`x`; global `g` headers are read and ignored) and GNU long names (`L`), octal or base-256 sizes.
///
/// Directories are passed over silently; links, special files and unsafe names (absolute, or with
/// a `..` component) are skipped and reported in ``warnings``. The reader never trusts a size before
/// checking it against the limits, and every step consumes at least one 512-byte block.
public final class TarReader {
    private let source: any TarByteSource
    private let limits: BundleLimits
    /// Byte offset of the next header in the uncompressed archive.
    public private(set) var offset = 0
    /// Headers read so far.
    public private(set) var headerCount = 0
    /// Members skipped, and why.
    public private(set) var warnings: [BundleWarning] = []
    private var isFinished = false

    /// Reads an archive from `source`.
    public init(_ source: any TarByteSource, limits: BundleLimits = BundleLimits()) {
        self.source = source
        self.limits = limits
    }

    /// The next regular file, or `nil` at the end of the archive.
    ///
    /// - Throws: ``BundleError`` for a damaged or truncated archive and for the limits; what was
    ///   returned before stays valid.
    public func next() throws(BundleError) -> TarMember? {
        var paxPath: String?
        var paxSize: Int?
        var longName: String?
        var longLink: String?
        while !isFinished {
            let index = headerCount
            let headerOffset = offset
            let header = try source.read(512)
            offset += header.count
            if header.isEmpty {
                // No end-of-archive blocks: accepted (some writers omit them) unless extensions are pending.
                guard paxPath == nil, paxSize == nil, longName == nil else {
                    throw .truncatedTar(member: index, offset: headerOffset)
                }
                isFinished = true
                return nil
            }
            guard header.count == 512 else { throw .truncatedTar(member: index, offset: headerOffset) }
            if header.allSatisfy({ $0 == 0 }) {
                // End of archive (two zero blocks; one is accepted).
                isFinished = true
                return nil
            }
            headerCount += 1
            guard headerCount <= limits.maximumMembers else { throw .memberCountLimit(limit: limits.maximumMembers) }
            try verifyChecksum(header, index: index, offset: headerOffset)
            guard let headerSize = Self.number(header[124..<136]) else {
                throw .corruptTar(member: index, offset: headerOffset, reason: "the size field is not a number")
            }
            let size = paxSize ?? headerSize
            guard size >= 0, size <= limits.maximumDecompressedBytes else {
                throw .decompressedSizeLimit(limit: limits.maximumDecompressedBytes)
            }
            let type = header[156]
            let padded = (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                // Extension headers carry their data in the following blocks; keep it small.
                guard size <= 1 << 20 else {
                    throw .corruptTar(
                        member: index, offset: headerOffset, reason: "an extended header of \(size) bytes")
                }
                let data = try readData(size, padded: padded, index: index, headerOffset: headerOffset)
                if type == UInt8(ascii: "x") {
                    let records = try Self.paxRecords(data, index: index, offset: headerOffset)
                    if let path = records["path"] { paxPath = path }
                    if let text = records["size"] {
                        guard let value = Int(text), value >= 0 else {
                            throw .corruptTar(member: index, offset: headerOffset, reason: "pax size '\(text)'")
                        }
                        paxSize = value
                    }
                    if let target = records["linkpath"] { longLink = target }
                } else if type == UInt8(ascii: "L") {
                    longName = Self.string(data[...])
                } else if type == UInt8(ascii: "K") {
                    longLink = Self.string(data[...])
                }
                continue
            default:
                break
            }
            let name = paxPath ?? longName ?? Self.ustarName(header)
            let linkTarget = longLink ?? Self.string(header[157..<257])
            paxPath = nil
            paxSize = nil
            longName = nil
            longLink = nil
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                guard Self.isSafe(name) else {
                    warnings.append(.unsafeName(name))
                    try skipData(padded, index: index, headerOffset: headerOffset)
                    continue
                }
                let data = try readData(size, padded: padded, index: index, headerOffset: headerOffset)
                return TarMember(name: name, bytes: data, index: index)
            case UInt8(ascii: "5"):
                try skipData(padded, index: index, headerOffset: headerOffset)
            case UInt8(ascii: "1"), UInt8(ascii: "2"):
                warnings.append(.link(name: name, target: linkTarget))
                try skipData(padded, index: index, headerOffset: headerOffset)
            default:
                warnings.append(.specialMember(name: name, type: type))
                try skipData(padded, index: index, headerOffset: headerOffset)
            }
        }
        return nil
    }

    private func readData(_ size: Int, padded: Int, index: Int, headerOffset: Int) throws(BundleError) -> [UInt8] {
        let data = try source.read(size)
        offset += data.count
        guard data.count == size else { throw .truncatedTar(member: index, offset: headerOffset) }
        try skipData(padded - size, index: index, headerOffset: headerOffset)
        return data
    }

    private func skipData(_ count: Int, index: Int, headerOffset: Int) throws(BundleError) {
        let skipped = try source.skip(count)
        offset += skipped
        guard skipped == count else { throw .truncatedTar(member: index, offset: headerOffset) }
    }

    private func verifyChecksum(_ header: [UInt8], index: Int, offset: Int) throws(BundleError) {
        guard let stored = Self.number(header[148..<156]) else {
            throw .corruptTar(member: index, offset: offset, reason: "the checksum field is not a number")
        }
        // The sum of all header bytes with the checksum field taken as eight spaces (POSIX ustar);
        // some old writers summed signed bytes, which is accepted too.
        var unsigned = 0
        var signed = 0
        for (i, byte) in header.enumerated() {
            let value = (148..<156).contains(i) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else {
            throw .corruptTar(member: index, offset: offset, reason: "header checksum \(stored), computed \(unsigned)")
        }
    }

    /// An octal number field (NUL/space padded), or a GNU base-256 one (top bit of the first byte set).
    static func number(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            // GNU base-256: big-endian, the top bit of the first byte marks it; 0xFF starts a
            // negative number, which no size may be.
            guard first != 0xFF else { return nil }
            var value = Int(first & 0x7F)
            for byte in field.dropFirst() {
                guard value <= Int.max >> 8 else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        var seenDigit = false
        var ended = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard !ended, value < Int.max >> 4 else { return nil }
                value = value * 8 + Int(byte - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " "), 0:
                if seenDigit { ended = true }
            default:
                return nil
            }
        }
        return seenDigit ? value : (field.allSatisfy { $0 == 0 || $0 == 0x20 } ? 0 : nil)
    }

    /// A NUL-terminated field as UTF-8 text (invalid bytes replaced).
    static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// ustar: `prefix/name` when the magic says ustar and the prefix is set.
    static func ustarName(_ header: [UInt8]) -> String {
        let name = string(header[0..<100])
        let isUstar = header[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? string(header[345..<500]) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// Not absolute, no `..` component, not empty.
    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.hasPrefix("\\") else { return false }
        return !name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }

    /// pax records: `LENGTH key=value\n`, LENGTH counting the whole record in bytes.
    static func paxRecords(_ data: [UInt8], index: Int, offset: Int) throws(BundleError) -> [String: String] {
        var records: [String: String] = [:]
        var position = 0
        while position < data.count {
            if data[position] == 0 { break }
            var length = 0
            var cursor = position
            while cursor < data.count, data[cursor] >= 0x30, data[cursor] <= 0x39, length < 1 << 21 {
                length = length * 10 + Int(data[cursor] - 0x30)
                cursor += 1
            }
            guard cursor < data.count, data[cursor] == 0x20, length > cursor - position + 1,
                position + length <= data.count, data[position + length - 1] == 0x0A
            else {
                throw .corruptTar(member: index, offset: offset, reason: "a pax record is malformed")
            }
            let record = data[(cursor + 1)..<(position + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
                throw .corruptTar(member: index, offset: offset, reason: "a pax record has no '='")
            }
            records[String(decoding: record[..<equals], as: UTF8.self)] = String(
                decoding: record[(equals + 1)...], as: UTF8.self)
            position += length
        }
        return records
    }
}
