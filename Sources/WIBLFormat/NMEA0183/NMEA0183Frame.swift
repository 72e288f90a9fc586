/// Why an NMEA0183 sentence was not used (`processing.md` §8; deviations P1–P4).
public enum NMEA0183Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text does not have the shape of a sentence (address, data, optional `*HH`).
    case badFraming
    /// The `*HH` checksum does not match the XOR of the sentence (P1).
    case badChecksum(expected: UInt8, found: UInt8)
    /// The sentence is too short to carry anything (`processing.md` §8.1 step 3).
    case shortSentence(length: Int)
    /// The sentence bytes are not UTF-8.
    case invalidUTF8
    /// A field the sentence type needs could not be converted (P2–P4).
    case badField(name: String, text: String)

    /// A sentence describing the problem.
    public var description: String {
        switch self {
        case .badFraming: "the text is not an NMEA0183 sentence (no valid address, or bytes after the checksum)"
        case .badChecksum(let expected, let found):
            "checksum mismatch: the sentence says \(hex(found)), its bytes give \(hex(expected))"
        case .shortSentence(let length): "the sentence is too short (\(length) characters)"
        case .invalidUTF8: "the sentence is not valid UTF-8"
        case .badField(let name, let text): "field '\(name)' has an invalid value '\(text)'"
        }
    }
}

private func hex(_ value: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String(digits[Int(value >> 4)]) + String(digits[Int(value & 0xF)])
}

/// The framing of one sentence: where its address and data are, found without copying
/// (`processing.md` §8.2: the pattern of pynmea2, case-insensitive).
public struct NMEA0183Frame: Sendable, Hashable {
    /// The three address forms.
    public enum Kind: Sendable, Hashable {
        /// `TTSSS,` — talker and sentence type.
        case ordinary
        /// `Pxxx` — manufacturer-specific.
        case proprietary
        /// `TTttQ,SSS` — query.
        case query
    }

    /// The address form.
    public var kind: Kind
    /// For ordinary sentences, the three type letters upper-cased (`GGA`) packed big-endian into the
    /// low 24 bits; 0 otherwise.
    public var typeCode: UInt32
    /// Offset of the first data byte (after the address).
    public var dataStart: Int
    /// Offset just past the last data byte (before `*`, or the end of the text).
    public var dataEnd: Int
    /// Whether a `*HH` checksum was present (and matched).
    public var hasChecksum: Bool

    /// The packed code of a three-letter type, e.g. `typeCode("GGA")`.
    public static func typeCode(_ letters: StaticString) -> UInt32 {
        precondition(letters.utf8CodeUnitCount == 3, "sentence types have three letters")
        let p = letters.utf8Start
        return UInt32(p[0]) << 16 | UInt32(p[1]) << 8 | UInt32(p[2])
    }

    /// Frames a sentence and verifies its checksum when one is present.
    ///
    /// - Throws: ``NMEA0183Error/badFraming`` or ``NMEA0183Error/badChecksum(expected:found:)``.
    public static func parse(_ text: UnsafeRawBufferPointer) throws(NMEA0183Error) -> NMEA0183Frame {
        let n = text.count
        var i = 0
        while i < n, isSpace(text[i]) { i += 1 }
        if i < n, text[i] == UInt8(ascii: "$") { i += 1 }
        let a = i
        func word(_ k: Int) -> Bool { k < n && isWord(text[k]) }
        func letter(_ k: Int, _ c: UInt8) -> Bool { k < n && (text[k] | 0x20) == c }
        let kind: Kind
        let dataStart: Int
        if letter(a, UInt8(ascii: "p")), word(a + 1), word(a + 2), word(a + 3) {
            kind = .proprietary
            dataStart = a + 4
        } else if word(a), word(a + 1), word(a + 2), word(a + 3), letter(a + 4, UInt8(ascii: "q")),
            a + 5 < n, text[a + 5] == UInt8(ascii: ","), word(a + 6), word(a + 7), word(a + 8)
        {
            kind = .query
            dataStart = a + 9
        } else if word(a), word(a + 1), word(a + 2), word(a + 3), word(a + 4), a + 5 < n,
            text[a + 5] == UInt8(ascii: ",")
        {
            kind = .ordinary
            dataStart = a + 6
        } else {
            throw .badFraming
        }
        // One pass: find the '*' and XOR the data on the way, eight bytes at a time while no '*' is
        // among them (a word XOR "********" has a zero byte exactly when the word holds a '*').
        var star = dataStart
        var wide: UInt64 = 0
        while star + 8 <= n {
            let word = text.loadUnaligned(fromByteOffset: star, as: UInt64.self)
            let probe = word ^ 0x2A2A_2A2A_2A2A_2A2A
            if (probe &- 0x0101_0101_0101_0101) & ~probe & 0x8080_8080_8080_8080 != 0 { break }
            wide ^= word
            star += 8
        }
        var sum: UInt8 = 0
        for shift in stride(from: 0, to: 64, by: 8) { sum ^= UInt8(truncatingIfNeeded: wide >> UInt64(shift)) }
        while star < n, text[star] != UInt8(ascii: "*") {
            sum ^= text[star]
            star += 1
        }
        var hasChecksum = false
        if star < n {
            guard star + 2 < n, let high = hexValue(text[star + 1]), let low = hexValue(text[star + 2]) else {
                throw .badFraming
            }
            var k = star + 3
            while k < n, isSpace(text[k]) { k += 1 }
            guard k == n else { throw .badFraming }
            for k in a..<dataStart { sum ^= text[k] }
            let found = high << 4 | low
            guard sum == found else { throw .badChecksum(expected: sum, found: found) }
            hasChecksum = true
        }
        var code: UInt32 = 0
        if kind == .ordinary {
            code = UInt32(upper(text[a + 2])) << 16 | UInt32(upper(text[a + 3])) << 8 | UInt32(upper(text[a + 4]))
        }
        return NMEA0183Frame(kind: kind, typeCode: code, dataStart: dataStart, dataEnd: star, hasChecksum: hasChecksum)
    }

    /// Field `index` (0-based, counted after the address) as a byte range of `text`; empty when the
    /// sentence has fewer fields.
    public func field(_ index: Int, in text: UnsafeRawBufferPointer) -> Range<Int> {
        var cursor = NMEA0183FieldCursor(text: text, frame: self)
        return cursor.field(index)
    }
}

/// Walks the comma-separated fields of a framed sentence once, for fields requested in increasing
/// order (``NMEA0183Frame/field(_:in:)`` would rescan from the first field every time).
struct NMEA0183FieldCursor {
    let text: UnsafeRawBufferPointer
    let dataEnd: Int
    /// Index of the field that starts at `start`.
    var index = 0
    var start: Int

    init(text: UnsafeRawBufferPointer, frame: NMEA0183Frame) {
        self.text = text
        self.start = frame.dataStart
        self.dataEnd = frame.dataEnd
    }

    @inline(__always) func endOfCurrent() -> Int {
        var k = start
        while k < dataEnd, text[k] != UInt8(ascii: ",") { k += 1 }
        return k
    }

    /// The range of field `target`; `target` must not be smaller than the previous request.
    mutating func field(_ target: Int) -> Range<Int> {
        precondition(target >= index, "fields are requested in increasing order")
        while index < target {
            let end = endOfCurrent()
            guard end < dataEnd else {
                start = dataEnd
                index = target
                return dataEnd..<dataEnd
            }
            start = end + 1
            index += 1
        }
        return start..<endOfCurrent()
    }

    /// Field `target` as bytes.
    mutating func bytes(_ target: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: text[field(target)])
    }
}

/// Python's `\s` for ASCII: tab, LF, VT, FF, CR, the four separators 0x1C–0x1F, and space.
@inline(__always) func isSpace(_ b: UInt8) -> Bool { (0x09...0x0D).contains(b) || (0x1C...0x20).contains(b) }

/// Regular-expression `\w` for ASCII: letters, digits and underscore.
@inline(__always) func isWord(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b == 0x5F
}

@inline(__always) func upper(_ b: UInt8) -> UInt8 { (b >= 0x61 && b <= 0x7A) ? b - 0x20 : b }

@inline(__always) func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
}
