/// A parsed XML element: local name (namespace prefix dropped), child elements and text.
///
/// Enough XML for S3's replies (ErrorResponses, ListBucketResult, Tagging, CopyObjectResult):
/// elements, attributes (skipped), text, the five predefined entities, numeric character
/// references, CDATA, comments, processing instructions and a DOCTYPE-free prolog. S3 never sends
/// DTDs, so none are supported (a `<!DOCTYPE` is rejected rather than half-understood).
public struct XMLElement: Sendable, Hashable {
    /// The local name (`ListBucketResult`, `Key`, …).
    public var name: String
    /// The child elements in document order.
    public var children: [XMLElement]
    /// The concatenated character data directly inside this element (entities decoded).
    public var text: String

    /// Creates an element.
    public init(name: String, children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    /// The first child called `name`.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child called `name`.
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child called `name`.
    public func text(of name: String) -> String? { child(name)?.text }
}

/// Why an XML document could not be parsed.
public struct XMLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the problem.
    public var offset: Int
    /// What was wrong.
    public var reason: String

    /// "XML error at byte 12: …".
    public var description: String { "XML error at byte \(offset): \(reason)" }
}

/// S3's XML: a small non-recursive parser and the few request bodies we send.
public enum S3XML {
    /// The S3 XML namespace.
    public static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// Elements nested deeper than this are rejected (S3's replies are 4 levels deep).
    public static let maximumDepth = 64

    /// Parses a whole document and returns its root element.
    ///
    /// The parser keeps an explicit stack (no recursion driven by input), and every step consumes at
    /// least one byte or throws.
    ///
    /// - Throws: ``XMLParseError`` for malformed or unsupported input.
    public static func parse<Bytes: Collection<UInt8>>(_ input: Bytes) throws(XMLParseError) -> XMLElement {
        let bytes = Array(input)
        var index = 0
        var stack: [XMLElement] = []
        var root: XMLElement?

        func fail(_ reason: String) -> XMLParseError { XMLParseError(offset: index, reason: reason) }
        func starts(_ literal: String) -> Bool {
            let l = Array(literal.utf8)
            return index + l.count <= bytes.count && Array(bytes[index..<index + l.count]) == l
        }
        func skip(past literal: String) throws(XMLParseError) {
            let l = Array(literal.utf8)
            while index + l.count <= bytes.count {
                if Array(bytes[index..<index + l.count]) == l {
                    index += l.count
                    return
                }
                index += 1
            }
            throw fail("unterminated construct, expected \(literal)")
        }
        func isNameByte(_ b: UInt8) -> Bool {
            !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
                || b == UInt8(ascii: "=") || b == UInt8(ascii: "<"))
        }
        func localName(_ qualified: [UInt8]) -> String {
            let name = String(decoding: qualified, as: UTF8.self)
            if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
            return name
        }

        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                // Character data up to the next '<'.
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                let raw = bytes[start..<index]
                if stack.isEmpty {
                    guard raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                        throw XMLParseError(offset: start, reason: "text outside the root element")
                    }
                } else {
                    let text = try decodeEntities(raw, offset: start)
                    stack[stack.count - 1].text += text
                }
                continue
            }
            if starts("<?") {
                try skip(past: "?>")
            } else if starts("<!--") {
                try skip(past: "-->")
            } else if starts("<![CDATA[") {
                let start = index + 9
                try skip(past: "]]>")
                guard !stack.isEmpty else { throw fail("CDATA outside the root element") }
                stack[stack.count - 1].text += String(decoding: bytes[start..<index - 3], as: UTF8.self)
            } else if starts("<!") {
                throw fail("DTDs and declarations are not supported")
            } else if starts("</") {
                index += 2
                let start = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                let name = localName(Array(bytes[start..<index]))
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                guard index < bytes.count else { throw fail("unterminated end tag </\(name)") }
                index += 1
                guard let open = stack.popLast() else { throw fail("end tag </\(name)> without start tag") }
                guard open.name == name else { throw fail("end tag </\(name)> does not match <\(open.name)>") }
                if stack.isEmpty {
                    guard root == nil else { throw fail("more than one root element") }
                    root = open
                } else {
                    stack[stack.count - 1].children.append(open)
                }
            } else {
                index += 1
                let start = index
                while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
                guard index > start else { throw fail("empty element name") }
                let name = localName(Array(bytes[start..<index]))
                // Skip attributes, honouring quotes so that '>' inside a value does not end the tag.
                var quote: UInt8? = nil
                while index < bytes.count {
                    let b = bytes[index]
                    if let q = quote {
                        if b == q { quote = nil }
                    } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                        quote = b
                    } else if b == UInt8(ascii: ">") {
                        break
                    }
                    index += 1
                }
                guard index < bytes.count else { throw fail("unterminated start tag <\(name)") }
                let selfClosing = bytes[index - 1] == UInt8(ascii: "/") && quote == nil
                index += 1
                guard stack.count < maximumDepth else { throw fail("elements nested deeper than \(maximumDepth)") }
                let element = XMLElement(name: name)
                if selfClosing {
                    if stack.isEmpty {
                        guard root == nil else { throw fail("more than one root element") }
                        root = element
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                } else {
                    guard stack.isEmpty ? root == nil : true else { throw fail("more than one root element") }
                    stack.append(element)
                }
            }
        }
        guard stack.isEmpty else { throw fail("unclosed element <\(stack[stack.count - 1].name)>") }
        guard let root else { throw fail("no root element") }
        return root
    }

    static func decodeEntities(_ raw: ArraySlice<UInt8>, offset: Int) throws(XMLParseError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            guard let semicolon = raw[i...].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 12 else {
                throw XMLParseError(offset: offset + (i - raw.startIndex), reason: "unterminated entity")
            }
            let entity = String(decoding: raw[(i + 1)..<semicolon], as: UTF8.self)
            switch entity {
            case "amp": out.append(UInt8(ascii: "&"))
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                var scalarValue: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalarValue = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    scalarValue = UInt32(entity.dropFirst(1), radix: 10)
                }
                guard let value = scalarValue, let scalar = Unicode.Scalar(value) else {
                    throw XMLParseError(offset: offset + (i - raw.startIndex), reason: "unknown entity &\(entity);")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes text for an XML element body (`&`, `<`, `>`, and quotes for safety).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// `<name>escaped text</name>`.
    static func element(_ name: String, _ text: String) -> String { "<\(name)>\(escape(text))</\(name)>" }
}
