import AsyncHTTPClient
import JSONValue
import S3
import Testing
import WIBLTestSupport

/// `wibl summary s3://bucket/prefix` against moto.
@Suite struct SummaryS3Tests {
    // The prefix has no "/": moto's signature check rejects a ListObjectsV2 whose prefix holds a "/"
    // (boto3 gets the same SignatureDoesNotMatch from it), so `s3://bucket/logs/` cannot be tested here.
    @Test func summarisesEveryObjectUnderThePrefix() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        let bucket = uniqueBucket("summary")
        try await HTTPClient.withHTTPClient { http in
            let client = peer.client(http)
            try await client.createBucket(bucket)
            for name in ["synth-v1_0.wibl", "test-algo-dedup.wibl"] {
                _ = try await client.putObject(
                    bucket: bucket, key: "logs/\(name)", body: .bytes(try Fixtures.bytes("wibl/" + name)))
            }
            _ = try await client.putObject(
                bucket: bucket, key: "other/ignored.wibl", body: .bytes(try Fixtures.bytes("wibl/synth-v1_0.wibl")))
        }
        let env = [
            "HOME": "/nonexistent", "PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": peer.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": peer.credentials.secretAccessKey, "AWS_ENDPOINT_URL_S3": peer.endpointURL,
            "AWS_REGION": peer.region,
        ]
        let result = try runProcess(
            Fixtures.wiblExecutable, ["summary", "s3://\(bucket)/logs", "--provider-id", "UNHJHC", "--json"],
            environment: env, inheritEnvironment: false)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONValue.parse(Array(result.stdout.utf8))
        #expect(report["totals"]?["files"] == 2)
        #expect(report["totals"]?["soundings"] == 630)
        let missing = try runProcess(
            Fixtures.wiblExecutable, ["summary", "s3://\(bucket)-nope/logs", "--provider-id", "UNHJHC"],
            environment: env, inheritEnvironment: false)
        #expect(missing.status == 8, "\(missing.stderr)")
    }
}
