import AsyncHTTPClient
import Logging
import NIOCore
import S3
import Testing
import WIBLLedger
import WIBLTestSupport

/// Conditional writes and the ledger against a real S3 peer (signature-checking moto, or RGW).
@Suite struct LedgerS3Tests {
    @Test func conditionalPutsCreateOnceAndCompareAndSwap() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await withHTTPClient { http in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("cond")
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
        let peer = try S3TestPeer.fromEnvironment()
        try await withHTTPClient { http in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("ledger")
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
