import DCDB
import Testing
import WIBLSystem
import WIBLTestSupport

@Suite struct DCDBUploadFormTests {
    @Test func multipartBytesAreExact() {
        let form = DCDBUploadForm(fileName: "/tmp/out/ship \"1\".geojson", uniqueID: "UNHJHC-42", boundary: "BOUNDARY")
        let body = form.preamble() + Array(#"{"type":"FeatureCollection"}"#.utf8) + form.epilogue()
        let expected =
            "--BOUNDARY\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"ship %221%22.geojson\"\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "\r\n"
            + #"{"type":"FeatureCollection"}"# + "\r\n"
            + "--BOUNDARY\r\n"
            + "Content-Disposition: form-data; name=\"metadataInput\"\r\n"
            + "\r\n"
            + #"{"uniqueID": "UNHJHC-42"}"# + "\r\n"
            + "--BOUNDARY--\r\n"
        #expect(String(decoding: body, as: UTF8.self) == expected)
        #expect(form.contentType == "multipart/form-data; boundary=BOUNDARY")
        #expect(form.contentLength(fileBytes: 28) == body.count)
    }

    @Test func theServerParserReadsWhatTheClientWrites() throws {
        let form = DCDBUploadForm(fileName: "a.geojson", uniqueID: "UNHJHC-\"q\"")
        let file = Array("line1\r\n--not-the-boundary\r\n".utf8)
        let parts = try MultipartFormData.parse(
            form.preamble() + file + form.epilogue(),
            boundary: try MultipartFormData.boundary(fromContentType: form.contentType))
        #expect(parts.map(\.name) == ["file", "metadataInput"])
        #expect(parts[0].fileName == "a.geojson")
        #expect(parts[0].contentType == "application/octet-stream")
        #expect(parts[0].body == file)
        #expect(parts[1].fileName == nil)
        #expect(String(decoding: parts[1].body, as: UTF8.self) == #"{"uniqueID": "UNHJHC-\"q\""}"#)
    }

    @Test func boundariesAreRandom() {
        let first = DCDBUploadForm.makeBoundary()
        #expect(first != DCDBUploadForm.makeBoundary())
        #expect(first.hasPrefix("wibl-") && first.count == 37)
    }

    @Test(arguments: [
        ("UNHJHC-x", "UNHJHC-x"),
        ("XUNHJHC-x", "UNHJHC-XUNHJHC-x"),
        ("x-UNHJHC-1", "UNHJHC-x-UNHJHC-1"),
        ("UNHJHC", "UNHJHC-UNHJHC"),
        ("1234", "UNHJHC-1234"),
    ])
    func providerPrefixIsAPrefixTest(_ id: String, _ expected: String) {
        #expect(DCDBUploadForm.uniqueID(id, providerID: "UNHJHC") == expected)
    }
}

@Suite struct AuthTokenTests {
    @Test func neverPrinted() throws {
        let token = try AuthToken("  s3cr3t-token\n")
        #expect("\(token)" == "<redacted>")
        #expect(String(reflecting: token) == "<redacted>")
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
        #expect(token == (try AuthToken("s3cr3t-token")))
        #expect(token.redact("x s3cr3t-token y") == "x <redacted> y")
    }

    @Test func blankIsRefused() {
        #expect(throws: DCDBError.missingAuthToken(source: "the token")) { try AuthToken(" \t\n") }
    }

    @Test func firstLineOfAFile() throws {
        let folder = try FileSystem.makeTemporaryFolder(prefix: "wibl-dcdb-token")
        defer { FileSystem.removeTree(folder) }
        let path = folder + "/token.txt"
        try writeFile(path, Array("  tok-123 \nsecond line\n".utf8))
        #expect(try AuthToken.fromFile(path) == (try AuthToken("tok-123")))
        #expect(throws: DCDBError.self) { try AuthToken.fromFile(path + ".missing") }
    }
}
