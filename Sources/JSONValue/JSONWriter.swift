/// Byte-level JSON writing, shared by the document writers (compact, ASCII-only output).
public enum JSONWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `string` as a JSON string literal. Non-ASCII characters are escaped as `\uXXXX`
    /// (surrogate pairs above U+FFFF), as the original writer does (`geojson-b12.md` §6).
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x20..<0x7F: out.append(UInt8(v))
            case 0..<0x10000: appendEscape(UInt16(v), to: &out)
            default:
                let u = v - 0x10000
                appendEscape(UInt16(0xD800 + (u >> 10)), to: &out)
                appendEscape(UInt16(0xDC00 + (u & 0x3FF)), to: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    /// Appends a double in the shortest form that reads back to the same value (`10.0`,
    /// `-69.06583273188`, `1e-05`). Non-finite values are not JSON: they are written as `null`;
    /// callers that must not lose data check finiteness first (`geojson-b12.md` G6).
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends an integer.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }
}

extension JSONValue {
    /// Appends the compact serialisation of this value to `out`.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let i): JSONWriter.appendInteger(i, to: &out)
        case .double(let d): JSONWriter.appendNumber(d, to: &out)
        case .string(let s): JSONWriter.appendString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The compact serialisation as bytes.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    /// The compact serialisation as a string.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }
}
