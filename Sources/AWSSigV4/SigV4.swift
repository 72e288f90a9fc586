import Crypto

/// One HTTP header field, in the order the caller sends it.
public struct HTTPHeaderField: Sendable, Hashable {
    /// The header name, in any case.
    public var name: String
    /// The header value as sent.
    public var value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One query parameter, raw (not percent-encoded). A value-less sub-resource such as `?tagging` has
/// the value `""`.
public struct QueryParameter: Sendable, Hashable {
    /// The raw name.
    public var name: String
    /// The raw value; `""` for a value-less parameter.
    public var value: String

    /// Creates a query parameter.
    public init(_ name: String, _ value: String = "") {
        self.name = name
        self.value = value
    }
}

/// The `x-amz-content-sha256` value: the hex SHA-256 of the body, or the literal `UNSIGNED-PAYLOAD`.
///
/// AWS: "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk"
/// (cloud.md §2 item 1).
public enum PayloadHash: Sendable, Hashable {
    /// The lower-case hex SHA-256 digest of the body.
    case sha256Hex(String)
    /// `UNSIGNED-PAYLOAD`: the body is not covered by the signature (use over HTTPS only).
    case unsigned

    /// The hash of an empty body.
    public static let emptyBody = PayloadHash.sha256Hex(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    /// The hash of `bytes`.
    public static func of<Bytes: Sequence>(_ bytes: Bytes) -> PayloadHash where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return .sha256Hex(hexEncode(hasher.finalize()))
    }

    /// The text used in the header and as the last line of the canonical request.
    public var headerValue: String {
        switch self {
        case .sha256Hex(let hex): hex
        case .unsigned: "UNSIGNED-PAYLOAD"
        }
    }
}

/// The credential scope `date/region/service/aws4_request`.
public struct CredentialScope: Sendable, Hashable {
    /// `YYYYMMDD`.
    public var dateStamp: String
    /// The region, e.g. `us-east-2`.
    public var region: String
    /// The service, `s3` for S3.
    public var service: String

    /// Creates a scope.
    public init(dateStamp: String, region: String, service: String) {
        self.dateStamp = dateStamp
        self.region = region
        self.service = service
    }

    /// `20150830/us-east-1/s3/aws4_request`.
    public var text: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }
}

/// A canonical request and the signed-header list that goes with it.
public struct CanonicalRequest: Sendable, Hashable {
    /// The six-part canonical request, LF-separated, no trailing LF.
    public var text: String
    /// The lower-case signed header names joined with `;`.
    public var signedHeaders: String
}

/// AWS Signature Version 4, header-based, with S3's rules.
///
/// Each stage is one function, named after the step in AWS's documentation
/// ("Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk",
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, and the generic
/// "Create a signed AWS API request" guide). S3 differs from the generic rules in two ways that
/// matter here: the path is **not** normalised and is encoded only **once** (cloud.md §1.2, §2).
public enum SigV4 {
    /// The algorithm identifier, first line of the string to sign and prefix of the header.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// Headers that an HTTP client or proxy may rewrite and that must not be signed
    /// (botocore `SIGNED_HEADERS_BLACKLIST`; cloud.md §2 item 2).
    public static let unsignableHeaders: Set<String> = [
        "connection", "expect", "transfer-encoding", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    // MARK: Stage 1 — canonical request

    /// The canonical query string (stage 1, "CanonicalQueryString").
    ///
    /// Every name and value is `UriEncode`d (so `/` → `%2F`, space → `%20`), pairs are sorted by
    /// encoded name and then encoded value, and joined with `&`; a value-less parameter becomes
    /// `name=`. No parameters give the empty string.
    public static func canonicalQuery(_ parameters: [QueryParameter]) -> String {
        parameters
            .map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value)) }
            .sorted {
                $0.0 == $1.0
                    ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Trims a header value and collapses every inner run of spaces to one (stage 1, "Trimall").
    public static func trimAll(_ value: String) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
            {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical headers and signed-header list (stage 1, "CanonicalHeaders", "SignedHeaders").
    ///
    /// Names are lower-cased; values trimmed with ``trimAll(_:)``; repeated headers are joined with
    /// `,` in the order given; lines are sorted by name and each ends with LF. Headers in
    /// ``unsignableHeaders`` are left out.
    public static func canonicalHeaders(_ headers: [HTTPHeaderField]) -> (text: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            guard !unsignableHeaders.contains(name) else { continue }
            merged[name, default: []].append(trimAll(header.value))
        }
        let names = merged.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var text = ""
        for name in names {
            text += name + ":" + (merged[name] ?? []).joined(separator: ",") + "\n"
        }
        return (text, names.joined(separator: ";"))
    }

    /// The canonical request (stage 1 of "Signature Calculations for the Authorization Header").
    ///
    /// ```
    /// HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HashedPayload
    /// ```
    ///
    /// - Parameters:
    ///   - method: `GET`, `PUT`, … (upper case).
    ///   - canonicalURI: The request path exactly as sent, already encoded once with
    ///     ``URIEncoding/encode(_:keepSlash:)``; S3 applies no normalisation and no second encoding.
    ///   - query: The raw query parameters.
    ///   - headers: Every header that is sent and signed, including `Host` and `X-Amz-Date`.
    ///   - payloadHash: The `x-amz-content-sha256` value.
    public static func canonicalRequest(
        method: String, canonicalURI: String, query: [QueryParameter], headers: [HTTPHeaderField],
        payloadHash: PayloadHash
    ) -> CanonicalRequest {
        let (headerText, signed) = canonicalHeaders(headers)
        let uri = canonicalURI.isEmpty ? "/" : canonicalURI
        let text = [method, uri, canonicalQuery(query), headerText, signed, payloadHash.headerValue]
            .joined(separator: "\n")
        return CanonicalRequest(text: text, signedHeaders: signed)
    }

    // MARK: Stage 2 — string to sign

    /// The string to sign (stage 2): algorithm, `x-amz-date`, credential scope and the hex SHA-256
    /// of the canonical request, LF-separated.
    public static func stringToSign(canonicalRequest: String, amzDate: String, scope: CredentialScope) -> String {
        let digest = hexEncode(SHA256.hash(data: Array(canonicalRequest.utf8)))
        return [algorithm, amzDate, scope.text, digest].joined(separator: "\n")
    }

    // MARK: Stage 3 — signing key

    /// The signing key (stage 3): `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
    ///
    /// - Returns: The 32 raw bytes of `kSigning`.
    public static func signingKey(secretAccessKey: String, scope: CredentialScope) -> [UInt8] {
        var key = Array(("AWS4" + secretAccessKey).utf8)
        for part in [scope.dateStamp, scope.region, scope.service, "aws4_request"] {
            key = hmac(key: key, message: Array(part.utf8))
        }
        return key
    }

    // MARK: Stage 4 — signature

    /// The signature (stage 4): `HexEncode(HMAC(signingKey, stringToSign))`.
    public static func signature(signingKey: [UInt8], stringToSign: String) -> String {
        hexEncode(hmac(key: signingKey, message: Array(stringToSign.utf8)))
    }

    /// The `Authorization` header value (stage 5, "Add the signature to the request"):
    /// `AWS4-HMAC-SHA256 Credential=<AKID>/<scope>, SignedHeaders=<list>, Signature=<hex>`.
    public static func authorizationHeader(
        accessKeyID: String, scope: CredentialScope, signedHeaders: String, signature: String
    ) -> String {
        "\(algorithm) Credential=\(accessKeyID)/\(scope.text), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
}
