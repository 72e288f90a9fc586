import AWSSigV4
import JSONValue
import Testing
import WIBLTestSupport

/// One case of `testdata/sigv4/s3-vectors.json`.
struct S3Vector: CustomTestStringConvertible, Sendable {
    var name: String
    var input: JSONValue
    var expected: JSONValue
    var testDescription: String { name }

    static func all() throws -> [S3Vector] {
        let document = try JSONValue.parse(Fixtures.bytes("sigv4/s3-vectors.json"))
        let vectors = document["vectors"]?.arrayValue ?? []
        return vectors.compactMap { vector in
            guard let name = vector["name"]?.stringValue, let input = vector["input"],
                let expected = vector["expected"]
            else { return nil }
            return S3Vector(name: name, input: input, expected: expected)
        }
    }
}

/// Splits `scheme://host[:port]/path?query` into host and path (the query comes from `input.query`).
func hostAndPath(of url: String) throws -> (host: String, path: String) {
    guard let schemeEnd = url.firstRange(of: "://") else { throw VectorError("bad url \(url)") }
    let rest = url[schemeEnd.upperBound...]
    let hostEnd = rest.firstIndex(of: "/") ?? rest.firstIndex(of: "?") ?? rest.endIndex
    let host = String(rest[..<hostEnd])
    var path = String(rest[hostEnd...])
    if let question = path.firstIndex(of: "?") { path = String(path[..<question]) }
    return (host, path.isEmpty ? "/" : path)
}

@Suite struct S3VectorTests {
    @Test func fileHasTwentyThreeCases() throws {
        #expect(try S3Vector.all().count == 23)
    }

    @Test(arguments: try S3Vector.all())
    func reproducesVector(_ vector: S3Vector) throws {
        let input = vector.input
        let expected = vector.expected
        let url = try #require(input["url"]?.stringValue)
        let (host, path) = try hostAndPath(of: url)
        let method = try #require(input["method"]?.stringValue)
        let query = (input["query"]?.arrayValue ?? []).compactMap { pair -> QueryParameter? in
            guard let name = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
            return QueryParameter(name, value)
        }
        let headers =
            (input["headers"]?.objectValue.map { object in
                object.keys.compactMap { name in object[name]?.stringValue.map { HTTPHeaderField(name, $0) } }
            }) ?? []
        let body = Array((input["body_utf8"]?.stringValue ?? "").utf8)
        let payload: PayloadHash = input["payload"]?.stringValue == "UNSIGNED-PAYLOAD" ? .unsigned : .of(body)
        let creds = try #require(input["credentials"])
        let credentials = AWSCredentials(
            accessKeyID: try #require(creds["access_key_id"]?.stringValue),
            secretAccessKey: try #require(creds["secret_access_key"]?.stringValue),
            sessionToken: creds["session_token"]?.stringValue)
        let timestamp = try #require(input["timestamp"]?.stringValue)
        let date = try #require(AWSTimestamp(amzDate: timestamp))
        let region = try #require(input["region"]?.stringValue)
        let service = try #require(input["service"]?.stringValue)

        #expect(path == expected["canonical_uri"]?.stringValue)
        #expect(payload.headerValue == expected["x_amz_content_sha256"]?.stringValue)

        let signed = SigV4.sign(
            request: SignableRequest(method: method, host: host, path: path, query: query, headers: headers),
            payload: payload, credentials: credentials, region: region, service: service, date: date)
        #expect(signed.canonicalRequest == expected["canonical_request"]?.stringValue)
        #expect(signed.stringToSign == expected["string_to_sign"]?.stringValue)
        #expect(signed.signature == expected["signature"]?.stringValue)
        #expect(signed.authorization == expected["authorization"]?.stringValue)

        let scope = CredentialScope(dateStamp: date.dateStamp, region: region, service: service)
        let key = SigV4.signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        #expect(hexEncode(key) == expected["signing_key_hex"]?.stringValue)

        // The complete header set to send, compared by lower-cased name.
        var sent: [String: String] = [:]
        for header in signed.headers { sent[header.name.lowercased()] = header.value }
        var wanted: [String: String] = [:]
        if let object = expected["request_headers"]?.objectValue {
            for name in object.keys { wanted[name.lowercased()] = object[name]?.stringValue }
        }
        #expect(sent == wanted)
    }
}
