import JSONValue

/// The `multipart/form-data` framing of one DCDB upload (`cloud.md` §6, RFC 7578):
///
/// ```
/// --BOUNDARY\r\n
/// Content-Disposition: form-data; name="file"; filename="NAME"\r\n
/// Content-Type: application/octet-stream\r\n
/// \r\n
/// <GeoJSON bytes>\r\n
/// --BOUNDARY\r\n
/// Content-Disposition: form-data; name="metadataInput"\r\n
/// \r\n
/// {"uniqueID": "PROVIDER-id"}\r\n
/// --BOUNDARY--\r\n
/// ```
///
/// The GeoJSON sits between ``preamble()`` and ``epilogue()``, so it can be streamed.
public struct DCDBUploadForm: Sendable, Hashable {
    /// The multipart boundary (without the leading `--`).
    public var boundary: String
    /// The `filename` of the `file` part (the last path component of the name given).
    public var fileName: String
    /// The full unique id sent in `metadataInput`.
    public var uniqueID: String

    /// Creates the framing; `boundary` defaults to a fresh random one.
    public init(fileName: String, uniqueID: String, boundary: String = DCDBUploadForm.makeBoundary()) {
        self.boundary = boundary
        self.fileName = Self.baseName(fileName)
        self.uniqueID = uniqueID
    }

    /// A random boundary: `wibl-` and 32 hex digits (cannot plausibly occur in GeoJSON).
    public static func makeBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef")
        return "wibl-" + String((0..<32).map { _ in hex[Int(generator.next(upperBound: UInt8(16)))] })
    }

    /// The request's `Content-Type`.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// The `metadataInput` value: `{"uniqueID": "<id>"}`.
    public var metadataJSON: String {
        var out: [UInt8] = Array(#"{"uniqueID": "#.utf8)
        JSONWriter.appendString(uniqueID, to: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Everything before the GeoJSON bytes.
    public func preamble() -> [UInt8] {
        Array(
            ("--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"\(Self.quoted(fileName))\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").utf8)
    }

    /// Everything after the GeoJSON bytes.
    public func epilogue() -> [UInt8] {
        Array(
            ("\r\n--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"metadataInput\"\r\n\r\n"
                + metadataJSON
                + "\r\n--\(boundary)--\r\n").utf8)
    }

    /// The `Content-Length` of a request carrying `fileBytes` bytes of GeoJSON.
    public func contentLength(fileBytes: Int) -> Int { preamble().count + fileBytes + epilogue().count }

    /// The unique id as DCDB expects it: `PROVIDER-id`, unless `id` already starts with `PROVIDER-`.
    ///
    /// A prefix test, not the Python's substring test (`cloud.md` §6): `XUNHJHC-1` becomes
    /// `UNHJHC-XUNHJHC-1`, `UNHJHC-1` stays.
    public static func uniqueID(_ id: String, providerID: String) -> String {
        id.hasPrefix(providerID + "-") ? id : providerID + "-" + id
    }

    /// Percent-escapes `"`, CR and LF in a quoted header parameter (the HTML form-encoding rule).
    static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "%22"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let name = path[path.index(after: slash)...]
        return name.isEmpty ? path : String(name)
    }
}
