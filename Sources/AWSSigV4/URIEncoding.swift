/// SigV4's `UriEncode` and its inverse.
///
/// AWS: "Signature Calculations for the Authorization Header", section "UriEncode": every byte of
/// the UTF-8 form outside `A-Z a-z 0-9 - _ . ~` becomes `%XX` with upper-case hex; a space is
/// `%20` (never `+`); `/` is kept only in object key names (the canonical URI).
public enum URIEncoding {
    /// Whether `byte` is one of SigV4's unreserved characters `A-Z a-z 0-9 - _ . ~`.
    @inlinable
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Percent-encodes `text` with SigV4's `UriEncode`.
    ///
    /// - Parameters:
    ///   - text: The raw text (object key, query name or value).
    ///   - keepSlash: `true` for object key names in the path, where `/` stays literal; `false` for
    ///     query names and values, where `/` becomes `%2F`.
    /// - Returns: The encoded text, ASCII only.
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes every `%XX` of `text` once; `+` stays a literal plus.
    ///
    /// A `%` not followed by two hex digits is kept as is. Invalid UTF-8 after decoding is
    /// repaired with U+FFFD.
    public static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Lower-case hexadecimal of bytes (SigV4's `HexEncode`).
public func hexEncode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
