import JSONValue
import NIOCore
import Testing
import WIBLTestSupport

@testable import S3

/// Request building checked against `testdata/sigv4/s3-vectors.json` (pure, no network).
@Suite struct S3RequestEncodingTests {
    static func vectors() throws -> [JSONValue] {
        try JSONValue.parse(Fixtures.bytes("sigv4/s3-vectors.json"))["vectors"]?.arrayValue ?? []
    }

    static func vector(_ name: String) throws -> JSONValue {
        try #require(try vectors().first { $0["name"]?.stringValue == name })
    }

    @Test func pathStyleKeysEncodeAsInTheVectors() throws {
        var checked = 0
        for vector in try Self.vectors() where vector["input"]?["addressing"]?.stringValue == "path" {
            let input = try #require(vector["input"])
            let bucket = try #require(input["bucket"]?.stringValue)
            let key = input["key"]?.stringValue
            let expected = try #require(vector["expected"]?["canonical_uri"]?.stringValue)
            #expect(
                S3Client.requestPath(bucket: bucket, key: key) == expected,
                "vector \(vector["name"]?.stringValue ?? "")")
            checked += 1
        }
        #expect(checked >= 15)
    }

    @Test func taggingHeaderMatchesVector() throws {
        let vector = try Self.vector("put-object-geojson-with-tagging")
        let tags = [
            S3Tag(key: "SourceID", value: "UNHJHC-0123"), S3Tag(key: "Logger", value: "WIBL L1"),
            S3Tag(key: "Soundings", value: "1234"),
        ]
        #expect(S3Tag.taggingHeader(tags) == vector["input"]?["headers"]?["x-amz-tagging"]?.stringValue)
    }

    @Test func taggingDocumentAndContentMD5MatchVector() throws {
        let vector = try Self.vector("put-object-tagging")
        let tags = [
            S3Tag(key: "SourceID", value: "UNHJHC-0123"), S3Tag(key: "Logger", value: "WIBL L1"),
            S3Tag(key: "Soundings", value: "1234"),
        ]
        let document = S3Client.taggingDocument(tags)
        #expect(document == vector["input"]?["body_utf8"]?.stringValue)
        #expect(ContentMD5.of(Array(document.utf8)) == vector["input"]?["headers"]?["Content-MD5"]?.stringValue)
    }

    @Test func createBucketDocumentMatchesVector() throws {
        let vector = try Self.vector("create-bucket-location-constraint")
        #expect(S3Client.createBucketDocument(region: "us-east-2") == vector["input"]?["body_utf8"]?.stringValue)
        #expect(S3Client.createBucketDocument(region: "us-east-1") == nil)
    }

    @Test func notificationDocumentMatchesVector() throws {
        let vector = try Self.vector("put-bucket-notification-configuration")
        let document = S3Client.notificationDocument([
            S3NotificationTarget(
                kind: .lambdaFunction, id: "wibl-processing",
                arn: "arn:aws:lambda:us-east-2:123456789012:function:unhjhc-wibl-conversion",
                events: ["s3:ObjectCreated:*"], suffix: ".wibl")
        ])
        #expect(document == vector["input"]?["body_utf8"]?.stringValue)
    }

    @Test func queryStringMatchesVectorURL() throws {
        let vector = try Self.vector("list-objects-v2-full")
        let pairs = try #require(vector["input"]?["query"]?.arrayValue)
        let query = pairs.compactMap { pair -> QueryParameter? in
            guard let name = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
            return QueryParameter(name, value)
        }
        let url = try #require(vector["input"]?["url"]?.stringValue)
        #expect(url.hasSuffix("?" + S3Client.queryString(query)))
        #expect(S3Client.queryString([QueryParameter("tagging")]) == "tagging")
    }

    @Test(arguments: [
        ([UInt8](), ""), (Array("f".utf8), "Zg=="), (Array("fo".utf8), "Zm8="), (Array("foo".utf8), "Zm9v"),
        (Array("foobar".utf8), "Zm9vYmFy"), ([0xFF, 0xFE, 0xFD], "//79"),
    ])
    func base64(_ bytes: [UInt8], _ text: String) {
        #expect(Base64.encode(bytes) == text)
    }

    @Test func formDecodeOfListKeys() {
        #expect(S3Client.formDecode("a+b%2Bc/%E6%97%A5%20x") == "a b+c/日 x")
    }

    @Test func errorDescriptions() {
        let context = S3RequestContext(operation: .getObject, bucket: "b", key: "k")
        let error = S3Error.service(
            context: context, status: 404, code: "NoSuchKey", message: "The specified key does not exist.",
            requestID: "4442587FB7D0A2F9")
        #expect(
            "\(error)"
                == "S3 GetObject s3://b/k failed: 404 NoSuchKey — The specified key does not exist. (request id 4442587FB7D0A2F9)"
        )
        let signature = S3Error.service(
            context: S3RequestContext(operation: .putObject, bucket: "b", key: "k"), status: 403,
            code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match.",
            requestID: nil)
        #expect("\(signature)".contains("Check the secret access key"))
        #expect(signature.isAuthenticationFailure)
        #expect(!error.isAuthenticationFailure)
        #expect(error.isNotFound)
        let bucketLevel = S3Error.bodyTooLarge(
            context: S3RequestContext(operation: .listObjectsV2, bucket: "b"), limit: 5)
        #expect("\(bucketLevel)" == "S3 ListObjectsV2 s3://b failed: the object is larger than the limit of 5 bytes")
    }
}
