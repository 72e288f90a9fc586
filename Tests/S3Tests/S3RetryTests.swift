import AsyncHTTPClient
import Logging
import NIOCore
import S3
import Synchronization
import Testing
import WIBLTestSupport

/// Retries against the scripted server in WIBLTestSupport, and the wire form of requests.
@Suite struct S3RetryTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static func client(_ http: HTTPClient, port: Int, attempts: Int = 3, timeout: TimeAmount = .seconds(10)) -> S3Client
    {
        S3Client(
            httpClient: http, credentialsProvider: StaticCredentialsProvider(credentials), region: "us-east-1",
            endpoint: S3Endpoint(scheme: "http", host: "127.0.0.1", port: port),
            logger: Logger(label: "retry-test", factory: { _ in SwiftLogNoOpLogHandler() }), requestTimeout: timeout,
            retryPolicy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10)))
    }

    static let okBody = Array("hello".utf8)

    @Test func recoversAfterTwo503s() async throws {
        try await withScriptedHTTPServer(
            ServerScript { index, _ in
                index < 2 ? .s3Error(status: 503, code: "SlowDown") : .respond(status: 200, body: Self.okBody)
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let object = try await Self.client(http, port: server.port).getObject(
                    bucket: "b", key: "k", collectUpTo: 100)
                #expect(Array(object.body.readableBytesView) == Self.okBody)
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func putIsRetriedWithTheSameBody() async throws {
        let path = Fixtures.path("wibl/synth-v1_0.wibl")
        let expected = try Fixtures.bytes("wibl/synth-v1_0.wibl")
        try await withScriptedHTTPServer(
            ServerScript { index, _ in
                index == 0
                    ? .s3Error(status: 500, code: "InternalError") : .respond(status: 200, headers: ["ETag": "\"e\""])
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let result = try await Self.client(http, port: server.port).putObject(
                    bucket: "b", key: "k", body: .file(path: path))
                #expect(result.eTag == "\"e\"")
            }
            #expect(server.requests.count == 2)
            for request in server.requests {
                #expect(request.body == expected)
                #expect(request.headers["x-amz-content-sha256"] == PayloadHash.of(expected).headerValue)
            }
        }
    }

    @Test func recoversFromADroppedConnection() async throws {
        try await withScriptedHTTPServer(
            ServerScript { index, _ in
                index == 0 ? .closeConnection : .respond(status: 204)
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                try await Self.client(http, port: server.port).deleteObject(bucket: "b", key: "k")
            }
            #expect(server.requests.count == 2)
        }
    }

    @Test func givesUpAfterThreeAttemptsWithAClearError() async throws {
        try await withScriptedHTTPServer(
            ServerScript { _, _ in
                .s3Error(status: 503, code: "SlowDown", message: "Please reduce your request rate.")
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let error = await #expect(throws: S3Error.self) {
                    _ = try await Self.client(http, port: server.port).getObject(
                        bucket: "b", key: "k", collectUpTo: 100)
                }
                #expect(error?.status == 503)
                #expect(error?.code == "SlowDown")
                #expect(
                    error.map { "\($0)" }
                        == "S3 GetObject s3://b/k failed: 503 SlowDown — Please reduce your request rate. (request id SCRIPTED503)"
                )
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func neverRetries403() async throws {
        try await withScriptedHTTPServer(
            ServerScript { _, _ in
                .s3Error(status: 403, code: "AccessDenied", message: "Access Denied")
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let error = await #expect(throws: S3Error.self) {
                    try await Self.client(http, port: server.port).putObject(bucket: "b", key: "k", body: .bytes([1]))
                }
                #expect(error?.code == "AccessDenied")
                #expect(error?.isAuthenticationFailure == true)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func headDecidesOnStatusAlone() async throws {
        try await withScriptedHTTPServer(
            ServerScript { index, _ in
                index == 0 ? .respond(status: 404) : .respond(status: 403)
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let s3 = Self.client(http, port: server.port)
                #expect(try await s3.headObject(bucket: "b", key: "k") == nil)
                let error = await #expect(throws: S3Error.self) { _ = try await s3.headObject(bucket: "b", key: "k") }
                #expect(error?.code == "Forbidden")
                #expect(error?.status == 403)
            }
        }
    }

    @Test func connectionRefusedIsRetriedThenReported() async throws {
        // A port that was just free: nothing listens there any more.
        let port = try await withScriptedHTTPServer(ServerScript { _, _ in .respond(status: 200) }) { $0.port }
        let error = try await HTTPClient.withHTTPClient { http -> S3Error? in
            await #expect(throws: S3Error.self) {
                _ = try await Self.client(http, port: port, timeout: .seconds(2)).getObject(
                    bucket: "b", key: "k", collectUpTo: 10)
            }
        }
        guard case .transport(let context, let endpoint, _) = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(context.operation == .getObject)
        #expect(endpoint == "http://127.0.0.1:\(port)")
        #expect(
            error.map { "\($0)" }?.hasPrefix(
                "S3 GetObject s3://b/k failed: could not complete the request to http://127.0.0.1:") == true)
    }

    @Test func copyObjectErrorInsideA200() async throws {
        try await withScriptedHTTPServer(
            ServerScript { _, _ in
                .respond(
                    status: 200,
                    body: Array(
                        "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>R1</RequestId></Error>"
                            .utf8))
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let error = await #expect(throws: S3Error.self) {
                    try await Self.client(http, port: server.port).copyObject(
                        sourceBucket: "a", sourceKey: "x", bucket: "b", key: "y")
                }
                #expect(error?.code == "InternalError")
                #expect(error?.requestID == "R1")
            }
        }
    }

    @Test func shortBodyIsALengthMismatch() async throws {
        // Content-Length announces 10 bytes; 5 arrive, then the connection closes. Every attempt.
        try await withScriptedHTTPServer(
            ServerScript { _, _ in
                .truncated(status: 200, declaredLength: 10, body: [1, 2, 3, 4, 5])
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let s3 = Self.client(http, port: server.port)
                let stream = try await s3.getObject(bucket: "b", key: "k")
                #expect(stream.metadata.contentLength == 10)
                let error = await #expect(throws: S3Error.self) {
                    for try await _ in stream.body {}
                }
                guard case .bodyLengthMismatch(_, let expected, let received) = error else {
                    Issue.record("expected bodyLengthMismatch, got \(String(describing: error))")
                    return
                }
                #expect(expected == 10)
                #expect(received <= 5)
                // The collecting variant retries the whole exchange, then reports the mismatch.
                let collected = await #expect(throws: S3Error.self) {
                    _ = try await s3.getObject(bucket: "b", key: "k", collectUpTo: 100)
                }
                if case .bodyLengthMismatch = collected {} else { Issue.record("got \(String(describing: collected))") }
            }
            #expect(server.requests.count == 4)
        }
    }

    /// What goes on the wire for unusual keys and sub-resources (cloud.md §1.2).
    @Test func requestTargetsOnTheWire() async throws {
        try await withScriptedHTTPServer(
            ServerScript { _, request in
                if request.target.contains("list-type=2") {
                    let xml =
                        "<ListBucketResult><IsTruncated>false</IsTruncated><EncodingType>url</EncodingType>"
                        + "<Contents><Key>a+b%2Bc/%E6%97%A5</Key><Size>3</Size></Contents></ListBucketResult>"
                    return .respond(status: 200, body: Array(xml.utf8))
                }
                if request.target.hasSuffix("?tagging") && request.method == "GET" {
                    return .respond(status: 200, body: Array("<Tagging><TagSet/></Tagging>".utf8))
                }
                return .respond(status: 200)
            }
        ) { (server: ScriptedHTTPServer) async throws in
            try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
                let s3 = Self.client(http, port: server.port)
                for key in [
                    "a//b/./c/../d.wibl", "100%/x%41.wibl", "unicodé/日本語 file.wibl", "a+b=c&d/(1)*!@$,;:'#?.wibl",
                ] {
                    _ = try await s3.headObject(bucket: "bkt", key: key)
                }
                #expect(try await s3.getObjectTagging(bucket: "bkt", key: "k k") == [])
                try await s3.putObjectTagging(bucket: "bkt", key: "k", tags: [S3Tag(key: "A", value: "1")])
                let page = try await s3.listObjectsV2(
                    bucket: "bkt", prefix: "2024/boat 1/", delimiter: "/", maxKeys: 100,
                    continuationToken: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM+Q==")
                #expect(page.objects.map(\.key) == ["a b+c/日"])
            }
            let targets = server.requests.map(\.target)
            #expect(targets[0] == "/bkt/a//b/./c/../d.wibl")
            #expect(targets[1] == "/bkt/100%25/x%2541.wibl")
            #expect(targets[2] == "/bkt/unicod%C3%A9/%E6%97%A5%E6%9C%AC%E8%AA%9E%20file.wibl")
            #expect(targets[3] == "/bkt/a%2Bb%3Dc%26d/%281%29%2A%21%40%24%2C%3B%3A%27%23%3F.wibl")
            #expect(targets[4] == "/bkt/k%20k?tagging")
            #expect(targets[5] == "/bkt/k?tagging")
            #expect(server.requests[5].headers["content-md5"] != nil)
            #expect(
                targets[6]
                    == "/bkt?list-type=2&encoding-type=url&prefix=2024%2Fboat%201%2F&delimiter=%2F&max-keys=100"
                    + "&continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%2BQ%3D%3D")
            for request in server.requests {
                #expect(request.headers["host"] == "127.0.0.1:\(server.port)")
                #expect(request.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true)
            }
        }
    }
}
