import AsyncHTTPClient
import Logging
import NIOCore
import S3
import Testing
import WIBLLedger
import WIBLTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The S3 peer of `scripts/test.sh` (moto, or Ceph RGW): `WIBL_TEST_S3_ENDPOINT`, `WIBL_TEST_AWS_*`.
struct S3Peer {
    var endpoint: S3Endpoint
    var region: String
    var credentials: AWSCredentials

    static func fromEnvironment() throws -> S3Peer {
        func value(_ name: String) -> String? {
            guard let raw = getenv(name) else { return nil }
            let text = String(cString: raw)
            return text.isEmpty ? nil : text
        }
        guard let url = value("WIBL_TEST_S3_ENDPOINT"), let key = value("WIBL_TEST_AWS_ACCESS_KEY_ID"),
            let secret = value("WIBL_TEST_AWS_SECRET_ACCESS_KEY")
        else {
            throw FixtureError(
                description:
                    "the ledger tests need an S3 peer: run scripts/test.sh, or `d=$(mktemp -d); scripts/moto.sh start $d; set -a; . $d/env; set +a`"
            )
        }
        return S3Peer(
            endpoint: try S3Endpoint(url: url), region: value("WIBL_TEST_AWS_REGION") ?? "us-east-1",
            credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret))
    }

    func client(_ http: HTTPClient) -> S3Client {
        S3Client(
            httpClient: http, credentialsProvider: StaticCredentialsProvider(credentials), region: region,
            endpoint: endpoint, logger: Logger(label: "ledger-test", factory: { _ in SwiftLogNoOpLogHandler() }),
            requestTimeout: .seconds(30), retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20)))
    }

    static func bucketName(_ label: String) -> String {
        "wibl-\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }
}

/// Conditional writes and the ledger against a real S3 peer (signature-checking moto, or RGW).
@Suite struct LedgerS3Tests {
    @Test func conditionalPutsCreateOnceAndCompareAndSwap() async throws {
        let peer = try S3Peer.fromEnvironment()
        try await withHTTPClient { http in
            let s3 = peer.client(http)
            let bucket = S3Peer.bucketName("cond")
            try await s3.createBucket(bucket)
            let first = try await s3.putObject(
                bucket: bucket, key: "k", body: .bytes(Array("one".utf8)), condition: .ifNoneMatch)
            let eTag = try #require(first.eTag)
            do {
                try await s3.putObject(
                    bucket: bucket, key: "k", body: .bytes(Array("two".utf8)), condition: .ifNoneMatch)
                Issue.record("a second create must fail")
            } catch S3Error.preconditionFailed(_, let status, let code, _) {
                #expect(status == 412 && code == "PreconditionFailed")
            }
            do {
                try await s3.putObject(
                    bucket: bucket, key: "k", body: .bytes(Array("three".utf8)), condition: .ifMatch(eTag: "\"0123\""))
                Issue.record("a write with a stale ETag must fail")
            } catch S3Error.preconditionFailed(_, let status, _, _) {
                #expect(status == 412)
            }
            // The unquoted ETag: the form both AWS-compatible peers accept (RGW refuses the quoted one).
            let unquoted = eTag.filter { $0 != "\"" }
            let swapped = try await s3.putObject(
                bucket: bucket, key: "k", body: .bytes(Array("four".utf8)), condition: .ifMatch(eTag: unquoted))
            #expect(swapped.eTag != nil && swapped.eTag != eTag)
            let body = try await s3.getObject(bucket: bucket, key: "k", collectUpTo: 100).body
            #expect(String(buffer: body) == "four")
        }
    }

    @Test func eightConcurrentClaimsInS3HaveExactlyOneWinner() async throws {
        let peer = try S3Peer.fromEnvironment()
        try await withHTTPClient { http in
            let s3 = peer.client(http)
            let bucket = S3Peer.bucketName("ledger")
            try await s3.createBucket(bucket)
            let ledger = Ledger(storage: S3LedgerStorage(client: s3, bucket: bucket), clock: { 1_000 })
            let file = ledgerFileID(of: ByteBuffer(string: "a logger file"))
            _ = try await ledger.apply(
                .processed(source: source, staged: staged, soundings: 3, vesselID: "v", nauticalMiles: 0.5),
                file: file, actor: "process")
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        if case .appended = try await ledger.apply(
                            .claim(staged: staged, deadline: 9_000), file: file, actor: "submit \(index)")
                        {
                            return true
                        }
                        return false
                    }
                }
                var count = 0
                for try await won in group where won { count += 1 }
                return count
            }
            #expect(winners == 1)
            let records = try await ledger.records()
            #expect(records.count == 1)
            #expect(records.first?.entries.map(\.event) == [.processed, .claimed])
            #expect(records.first?.file == file)
        }
    }
}

func withHTTPClient(_ body: (HTTPClient) async throws -> Void) async throws {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        try await body(http)
    } catch {
        try await http.shutdown()
        throw error
    }
    try await http.shutdown()
}
