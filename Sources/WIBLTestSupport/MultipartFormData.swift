/// One part of a `multipart/form-data` body.
public struct MultipartPart: Sendable, Hashable {
    /// The part's header lines.
    public var headers: [LocalHeader]
    /// `name` from `Content-Disposition: form-data; name="…"`.
    public var name: String
    /// `filename` from `Content-Disposition`, if any.
    public var fileName: String?
    /// The part's `Content-Type`, if any.
    public var contentType: String?
    /// The part's content.
    public var body: [UInt8]
}

/// A `multipart/form-data` problem, as a sentence.
public struct MultipartError: Error, Sendable, CustomStringConvertible, Hashable {
    /// What is wrong.
    public var description: String
}

/// A strict `multipart/form-data` parser (RFC 7578 over RFC 2046 §5.1.1), for the local DCDB server.
public enum MultipartFormData {
    /// The `boundary` parameter of a `multipart/form-data` content type.
    ///
    /// - Throws: ``MultipartError`` when the type is not `multipart/form-data` or has no boundary.
    public static func boundary(fromContentType contentType: String) throws -> String {
        let pieces = splitParameters(contentType)
        guard let type = pieces.first, type.lowercased() == "multipart/form-data" else {
            throw MultipartError(description: "Content-Type is '\(contentType)', not multipart/form-data")
        }
        guard let boundary = parameters(pieces.dropFirst())["boundary"], !boundary.isEmpty, boundary.utf8.count <= 70
        else {
            throw MultipartError(description: "Content-Type '\(contentType)' has no usable boundary")
        }
        return boundary
    }

    /// Splits `body` into parts.
    ///
    /// - Throws: ``MultipartError`` for a missing first delimiter, a part without the blank line after
    ///   its headers, a missing close delimiter, or a part without `Content-Disposition: form-data; name`.
    public static func parse(_ body: [UInt8], boundary: String) throws -> [MultipartPart] {
        let delimiter = Array(("--" + boundary).utf8)
        let crlfDelimiter = [0x0D, 0x0A] + delimiter
        // The body starts with the delimiter, or a preamble then CRLF + delimiter.
        var position: Int
        if body.starts(with: delimiter) {
            position = delimiter.count
        } else if let found = find(crlfDelimiter, in: body, from: 0) {
            position = found + crlfDelimiter.count
        } else {
            throw MultipartError(description: "the body does not contain the boundary delimiter --\(boundary)")
        }
        var parts: [MultipartPart] = []
        while true {
            if body[position...].starts(with: [0x2D, 0x2D]) { break }  // close delimiter "--"
            // Transport padding (spaces, tabs) then CRLF.
            while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
            guard body[position...].starts(with: [0x0D, 0x0A]) else {
                throw MultipartError(description: "the delimiter at byte \(position) is not followed by CRLF")
            }
            position += 2
            guard let end = find(crlfDelimiter, in: body, from: position) else {
                throw MultipartError(description: "part \(parts.count + 1) has no closing delimiter")
            }
            parts.append(try parsePart(Array(body[position..<end]), index: parts.count + 1))
            position = end + crlfDelimiter.count
            guard position < body.count else {
                throw MultipartError(description: "the body ends without the close delimiter --\(boundary)--")
            }
        }
        return parts
    }

    static func parsePart(_ bytes: [UInt8], index: Int) throws -> MultipartPart {
        let headerEnd: Int
        let contentStart: Int
        if bytes.starts(with: [0x0D, 0x0A]) {
            headerEnd = 0
            contentStart = 2
        } else if let blank = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: 0) {
            headerEnd = blank
            contentStart = blank + 4
        } else {
            throw MultipartError(description: "part \(index) has no blank line after its headers")
        }
        var headers: [LocalHeader] = []
        let headerText = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
        for line in headerText.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else {
                throw MultipartError(description: "part \(index) has a malformed header line '\(line)'")
            }
            headers.append(
                LocalHeader(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(" \t"))
            )
        }
        guard let disposition = headers.first(where: { $0.name.lowercased() == "content-disposition" })?.value else {
            throw MultipartError(description: "part \(index) has no Content-Disposition header")
        }
        let pieces = splitParameters(disposition)
        guard pieces.first?.lowercased() == "form-data" else {
            throw MultipartError(description: "part \(index) has Content-Disposition '\(disposition)', not form-data")
        }
        let parameters = parameters(pieces.dropFirst())
        guard let name = parameters["name"] else {
            throw MultipartError(description: "part \(index) has no name in Content-Disposition '\(disposition)'")
        }
        return MultipartPart(
            headers: headers, name: name, fileName: parameters["filename"],
            contentType: headers.first(where: { $0.name.lowercased() == "content-type" })?.value,
            body: Array(bytes[contentStart...]))
    }

    /// Splits `a; b=c; d="e;f"` at semicolons outside quotes.
    static func splitParameters(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if quoted && character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                current.append(character)
            } else if character == ";" && !quoted {
                pieces.append(current.trimmingCharacters(" \t"))
                current = ""
            } else {
                current.append(character)
            }
        }
        pieces.append(current.trimmingCharacters(" \t"))
        return pieces.filter { !$0.isEmpty }
    }

    /// `name=value` pairs (names lower-cased, quoted values unquoted).
    static func parameters(_ pieces: some Sequence<String>) -> [String: String] {
        var result: [String: String] = [:]
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(" \t").lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(" \t")
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                var unquoted = ""
                var escaped = false
                for character in value.dropFirst().dropLast() {
                    if escaped {
                        unquoted.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else {
                        unquoted.append(character)
                    }
                }
                value = unquoted
            }
            result[name] = value
        }
        return result
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(_ set: String) -> String {
        let drop: (Character) -> Bool = { set.contains($0) }
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
