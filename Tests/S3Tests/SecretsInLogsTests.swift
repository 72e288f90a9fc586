import AsyncHTTPClient
import InMemoryLogging
import Logging
import S3
import Testing
import WIBLTestSupport

/// No log entry, at any level, carries the secret key or the session token (STYLE.md, "Secrets").
@Suite struct SecretsInLogsTests {
    @Test func traceLogsNeverContainSecrets() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "secrets-test", factory: { _ in handler })
        logger.logLevel = .trace
        let credentials = peer.sessionCredentials
        let secret = credentials.secretAccessKey
        let token = try #require(credentials.sessionToken)

        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http, credentials: credentials, logger: logger)
            let bucket = uniqueBucket("secrets")
            try await s3.createBucket(bucket)
            try await s3.putObject(
                bucket: bucket, key: "log 1.wibl", body: .file(path: Fixtures.path("wibl/synth-v1_0.wibl")),
                tags: [S3Tag(key: "SourceID", value: "abc")])
            _ = try await s3.getObject(bucket: bucket, key: "log 1.wibl", collectUpTo: 1 << 20)
            _ = try await s3.getObjectTagging(bucket: bucket, key: "log 1.wibl")
            _ = try? await s3.getObject(bucket: bucket, key: "missing", collectUpTo: 10)
            // A failing request logs its error too.
            var wrong = credentials
            wrong.secretAccessKey = "y" + secret.dropFirst()
            _ = try? await peer.client(http, credentials: wrong, logger: logger).listObjectsV2(bucket: bucket)
            logger.info("credentials in use", metadata: ["credentials": "\(credentials)"])
        }

        let entries = handler.entries
        #expect(entries.count > 5, "expected trace entries from the S3 client")
        for entry in entries {
            let text = "\(entry.message) \(entry.metadata) \(String(describing: entry.error))"
            #expect(!text.contains(secret), "secret key in log entry: \(entry.message)")
            #expect(!text.contains(token), "session token in log entry: \(entry.message)")
        }
        #expect(entries.contains { "\($0.metadata)".contains("<redacted>") })
    }
}
