import AWSSigV4
import Testing
import WIBLSystem
import WIBLTestSupport

/// The AWS SigV4 test suite (`testdata/sigv4/aws-sig-v4-test-suite/`, generic service `service`,
/// region `us-east-1`), run through the S3 canonicaliser.
@Suite struct AWSTestSuiteTests {
    static let folder = "sigv4/aws-sig-v4-test-suite/"
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    /// The 28 cases an S3 signer must reproduce exactly.
    static let applicable = [
        "get-header-key-duplicate", "get-header-value-multiline", "get-header-value-order",
        "get-header-value-trim", "get-unreserved", "get-utf8", "get-vanilla", "get-vanilla-empty-query-key",
        "get-vanilla-query", "get-vanilla-query-order-encoded", "get-vanilla-query-order-key",
        "get-vanilla-query-order-key-case", "get-vanilla-query-order-value", "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query", "get-vanilla-with-session-token", "normalize-path/get-space",
        "normalize-path/get-special-character", "post-header-key-case", "post-header-key-sort",
        "post-header-value-case", "post-sts-token/post-sts-header-after", "post-sts-token/post-sts-header-before",
        "post-vanilla", "post-vanilla-empty-query-value", "post-vanilla-query", "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
    ]

    /// The 6 cases that are not applicable to S3, with the reason.
    static let notApplicable: [String: String] = [
        "normalize-path/get-relative": "expects RFC 3986 dot-segment removal; S3 signs the path unnormalised",
        "normalize-path/get-relative-relative": "expects RFC 3986 dot-segment removal; S3 signs the path unnormalised",
        "normalize-path/get-slash": "expects '//' collapsed to '/'; S3 keeps '//' as part of the key",
        "normalize-path/get-slash-dot-slash": "expects '/./' removed; S3 keeps it as part of the key",
        "normalize-path/get-slash-pointless-dot": "expects '/.' removed; S3 keeps it as part of the key",
        "normalize-path/get-slashes": "expects '//' runs collapsed; S3 keeps them as part of the key",
    ]

    /// The session token the suite uses for `get-vanilla-with-session-token` (not in its `.req`).
    static let suiteSessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

    @Test func everyCaseIsListedExactlyOnce() throws {
        let onDisk = Set(findRequestFiles(Fixtures.path(Self.folder)))
        let listed = Set(Self.applicable).union(Self.notApplicable.keys)
        #expect(Self.applicable.count == 28)
        #expect(Self.notApplicable.count == 6)
        #expect(Set(Self.applicable).isDisjoint(with: Self.notApplicable.keys))
        #expect(onDisk == listed, "cases on disk but not listed: \(onDisk.subtracting(listed).sorted())")
    }

    @Test(arguments: applicable)
    func reproducesCase(_ name: String) throws {
        let base = Fixtures.path(Self.folder + name + "/" + lastComponent(name))
        let request = try ParsedRequest(text: readText(base + ".req"))
        var headers = request.headers
        if name == "get-vanilla-with-session-token" {
            headers.append(HTTPHeaderField("X-Amz-Security-Token", Self.suiteSessionToken))
        }
        let amzDate = try #require(
            headers.first { $0.name.lowercased() == "x-amz-date" }?.value, "no X-Amz-Date in \(name)")
        let date = try #require(AWSTimestamp(amzDate: amzDate))
        let scope = CredentialScope(dateStamp: date.dateStamp, region: "us-east-1", service: "service")

        // S3 rules: decode the request-target once, re-encode once, no normalisation.
        let canonicalURI = URIEncoding.encode(URIEncoding.decode(request.path), keepSlash: true)
        let canonical = SigV4.canonicalRequest(
            method: request.method, canonicalURI: canonicalURI, query: request.query, headers: headers,
            payloadHash: PayloadHash.of(Array(request.body.utf8)))
        #expect(canonical.text == (try readText(base + ".creq")))

        let toSign = SigV4.stringToSign(canonicalRequest: canonical.text, amzDate: date.amzDate, scope: scope)
        #expect(toSign == (try readText(base + ".sts")))

        let key = SigV4.signingKey(secretAccessKey: Self.credentials.secretAccessKey, scope: scope)
        let signature = SigV4.signature(signingKey: key, stringToSign: toSign)
        let authorization = SigV4.authorizationHeader(
            accessKeyID: Self.credentials.accessKeyID, scope: scope, signedHeaders: canonical.signedHeaders,
            signature: signature)
        #expect(authorization == (try readText(base + ".authz")))
    }
}

/// A `.req` file of the suite: request line, headers (folded lines continue the previous header),
/// optional blank line and body. The files use LF and are not valid HTTP wire format.
struct ParsedRequest {
    var method: String
    var path: String
    var query: [QueryParameter]
    var headers: [HTTPHeaderField]
    var body: String

    init(text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw VectorError("empty request") }
        let requestLine = lines.removeFirst()
        // "METHOD <target possibly with spaces> HTTP/1.1"
        guard let firstSpace = requestLine.firstIndex(of: " "),
            let lastSpace = requestLine.lastIndex(of: " "), firstSpace < lastSpace
        else { throw VectorError("bad request line \(requestLine)") }
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            query = target[target.index(after: question)...].split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return QueryParameter(
                    URIEncoding.decode(String(parts[0])), parts.count > 1 ? URIEncoding.decode(String(parts[1])) : "")
            }
        } else {
            path = target
            query = []
        }
        headers = []
        body = ""
        while !lines.isEmpty {
            let line = lines.removeFirst()
            if line.isEmpty {
                body = lines.joined(separator: "\n")
                break
            }
            if line.first == " " || line.first == "\t", var last = headers.popLast() {
                last.value += " " + SigV4.trimAll(line)
                headers.append(last)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw VectorError("bad header \(line)") }
            headers.append(
                HTTPHeaderField(String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
    }
}

func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

func readText(_ path: String) throws -> String {
    String(decoding: try readWholeFile(path), as: UTF8.self)
}
