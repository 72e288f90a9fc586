/// Why a text is not JSON, with the byte offset where reading stopped.
public enum JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text ended inside a value.
    case unexpectedEnd(offset: Int)
    /// A byte that cannot start or continue a value here.
    case unexpectedByte(UInt8, offset: Int, expected: String)
    /// A malformed number.
    case badNumber(offset: Int)
    /// A malformed escape, control character or invalid UTF-8 inside a string.
    case badString(offset: Int, reason: String)
    /// Something after the end of the top-level value.
    case trailingData(offset: Int)
    /// Arrays and objects nested deeper than ``JSONValue/maximumDepth``.
    case tooDeep(offset: Int)
    /// More values (members and elements at every depth) than the caller allows.
    case tooManyValues(limit: Int, offset: Int)

    /// A sentence saying what is wrong and where.
    public var description: String {
        switch self {
        case .unexpectedEnd(let offset):
            "JSON text ends unexpectedly at byte \(offset)."
        case .unexpectedByte(let byte, let offset, let expected):
            "unexpected character \(JSONParseError.show(byte)) at byte \(offset) of the JSON text; expected \(expected)."
        case .badNumber(let offset):
            "malformed number at byte \(offset) of the JSON text."
        case .badString(let offset, let reason):
            "malformed string at byte \(offset) of the JSON text: \(reason)."
        case .trailingData(let offset):
            "unexpected data after the JSON value, at byte \(offset)."
        case .tooDeep(let offset):
            "JSON nested deeper than \(JSONValue.maximumDepth) levels at byte \(offset)."
        case .tooManyValues(let limit, let offset):
            "the JSON text holds more than \(limit) values (reached at byte \(offset))."
        }
    }

    private static func show(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : "0x" + String(byte, radix: 16)
    }
}

extension JSONValue {
    /// Nesting limit of the parser; deeper documents are refused rather than risking the stack.
    public static let maximumDepth = 512

    /// Parses one JSON value (RFC 8259) from UTF-8 bytes; leading/trailing whitespace allowed.
    ///
    /// Time and memory are linear in the size of the text: objects find repeated keys through a
    /// hash index (``JSONObject``), never by searching their members.
    ///
    /// - Parameters:
    ///   - bytes: The text.
    ///   - maximumValues: The most values (members and elements at every depth, and the top-level
    ///     value) the text may hold; a cap for texts that come from untrusted files.
    /// - Throws: ``JSONParseError`` naming the byte offset of the problem.
    public static func parse(
        _ bytes: some Collection<UInt8>, maximumValues: Int = .max
    ) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parseResult(UnsafeRawBufferPointer(buffer), maximumValues: maximumValues)
        }
        if let result { return try result.get() }
        let array = Array(bytes)
        return try array.withUnsafeBytes { parseResult($0, maximumValues: maximumValues) }.get()
    }

    /// Parses one JSON value from a string (see ``parse(_:maximumValues:)``).
    public static func parse(_ string: String, maximumValues: Int = .max) throws(JSONParseError) -> JSONValue {
        try parse(Array(string.utf8), maximumValues: maximumValues)
    }

    private static func parseResult(
        _ buffer: UnsafeRawBufferPointer, maximumValues: Int
    ) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: buffer, maximumValues: maximumValues)
        do throws(JSONParseError) {
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else {
                throw JSONParseError.trailingData(offset: parser.position)
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }
}

/// Recursive-descent parser over raw bytes; recursion is bounded by ``JSONValue/maximumDepth``.
private struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    let maximumValues: Int
    var values = 0

    init(bytes: UnsafeRawBufferPointer, maximumValues: Int) {
        self.bytes = bytes
        self.maximumValues = maximumValues
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
        return bytes[position]
    }

    mutating func expectLiteral(_ literal: StaticString, value: JSONValue) throws(JSONParseError) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw .unexpectedEnd(offset: bytes.count) }
        for i in 0..<count where bytes[position + i] != literal.utf8Start[i] {
            throw .unexpectedByte(bytes[position + i], offset: position + i, expected: "'\(literal)'")
        }
        position += count
        return value
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        values += 1
        guard values <= maximumValues else { throw .tooManyValues(limit: maximumValues, offset: position) }
        switch try peek() {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expectLiteral("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expectLiteral("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expectLiteral("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let byte: throw .unexpectedByte(byte, offset: position, expected: "a JSON value")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw .tooDeep(offset: position) }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            let byte = try peek()
            guard byte == UInt8(ascii: "\"") else {
                throw .unexpectedByte(byte, offset: position, expected: "a member name in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else { throw .unexpectedByte(colon, offset: position, expected: "':'") }
            position += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth)
            skipWhitespace()
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "}") { return .object(object) }
            guard next == UInt8(ascii: ",") else {
                throw .unexpectedByte(next, offset: position - 1, expected: "',' or '}'")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw .tooDeep(offset: position) }
        position += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "]") { return .array(array) }
            guard next == UInt8(ascii: ",") else {
                throw .unexpectedByte(next, offset: position - 1, expected: "',' or ']'")
            }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func digits() -> Int {
            let from = position
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            return position - from
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw .badNumber(offset: start) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            throw .badNumber(offset: start)
        }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard digits() > 0 else { throw .badNumber(offset: start) }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw .badNumber(offset: start) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw .badNumber(offset: start) }
        return .double(double)
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard bytes.count - position >= 4 else { throw .unexpectedEnd(offset: bytes.count) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw .badString(offset: position, reason: "bad \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw .badString(offset: start, reason: "invalid UTF-8")
                }
                position += 1
                return string
            }
            if b == UInt8(ascii: "\\") { break }
            guard b >= 0x20 else { throw .badString(offset: position, reason: "unescaped control character") }
            position += 1
        }
        var utf8: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while true {
            guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
            let b = bytes[position]
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw .badString(offset: start, reason: "invalid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    let unit = try parseHex4()
                    var scalar: Unicode.Scalar?
                    if (0xD800..<0xDC00).contains(unit) {
                        guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else { throw .badString(offset: position, reason: "unpaired surrogate") }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw .badString(offset: position, reason: "unpaired surrogate")
                        }
                        scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                    } else {
                        scalar = Unicode.Scalar(unit)
                    }
                    guard let scalar else { throw .badString(offset: position, reason: "unpaired surrogate") }
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw .badString(offset: position - 1, reason: "unknown escape")
                }
            default:
                guard b >= 0x20 else { throw .badString(offset: position - 1, reason: "unescaped control character") }
                utf8.append(b)
            }
        }
    }
}
