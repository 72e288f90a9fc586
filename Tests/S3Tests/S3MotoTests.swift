import AsyncHTTPClient
import NIOCore
import S3
import Testing
import WIBLTestSupport

/// Every operation against a real moto_server with signature checking on.
@Suite struct S3MotoTests {
    @Test func objectLifecycle() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("life")
            try await s3.createBucket(bucket)
            let key = "2024/boat 1/log 1.json"
            let bytes = Array(#"{"type":"FeatureCollection","features":[]}"#.utf8)
            let tags = [S3Tag(key: "SourceID", value: "UNHJHC-0123"), S3Tag(key: "Logger", value: "WIBL L1")]
            let put = try await s3.putObject(
                bucket: bucket, key: key, body: .bytes(bytes), contentType: "application/json", tags: tags)
            #expect(put.eTag?.hasPrefix("\"") == true)

            let head = try #require(try await s3.headObject(bucket: bucket, key: key))
            #expect(head.contentLength == Int64(bytes.count))
            #expect(head.contentType == "application/json")
            #expect(head.eTag == put.eTag)

            let object = try await s3.getObject(bucket: bucket, key: key, collectUpTo: 1 << 20)
            #expect(Array(object.body.readableBytesView) == bytes)
            #expect(object.metadata.tagCount == 2)

            let stream = try await s3.getObject(bucket: bucket, key: key)
            var streamed: [UInt8] = []
            for try await chunk in stream.body { streamed += chunk.readableBytesView }
            #expect(streamed == bytes)

            let range = try await s3.getObject(bucket: bucket, key: key, range: 0...6)
            var ranged: [UInt8] = []
            for try await chunk in range.body { ranged += chunk.readableBytesView }
            #expect(ranged == Array(bytes[0...6]))

            // a tag set has no order: AWS does not promise one, Ceph RGW answers sorted by key
            #expect(byKey(try await s3.getObjectTagging(bucket: bucket, key: key)) == byKey(tags))
            let newTags = [S3Tag(key: "Soundings", value: "1234"), S3Tag(key: "Note", value: "a b/c=d+e@f:_.-")]
            try await s3.putObjectTagging(bucket: bucket, key: key, tags: newTags)
            #expect(byKey(try await s3.getObjectTagging(bucket: bucket, key: key)) == byKey(newTags))

            try await s3.copyObject(sourceBucket: bucket, sourceKey: key, bucket: bucket, key: "archive/log 1.json")
            #expect(byKey(try await s3.getObjectTagging(bucket: bucket, key: "archive/log 1.json")) == byKey(newTags))

            let listed = try await s3.listAllObjects(bucket: bucket)
            #expect(listed.objects.map(\.key).sorted() == ["2024/boat 1/log 1.json", "archive/log 1.json"])
            #expect(listed.objects.first { $0.key == key }?.size == Int64(bytes.count))

            try await s3.deleteObject(bucket: bucket, key: key)
            #expect(try await s3.headObject(bucket: bucket, key: key) == nil)
            try await s3.deleteObject(bucket: bucket, key: key)  // deleting a missing key succeeds (204)
        }
    }

    @Test func copyReplacingTags() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("retag")
            try await s3.createBucket(bucket)
            let bytes = Array("copied".utf8)
            try await s3.putObject(
                bucket: bucket, key: "log 1.json", body: .bytes(bytes), tags: [S3Tag(key: "Note", value: "old")])
            let replaced = [S3Tag(key: "SourceID", value: "X")]
            try await s3.copyObject(
                sourceBucket: bucket, sourceKey: "log 1.json", bucket: bucket, key: "archive/log 2.json",
                replacingTags: replaced)
            #expect(byKey(try await s3.getObjectTagging(bucket: bucket, key: "archive/log 2.json")) == byKey(replaced))
            let copied = try await s3.getObject(bucket: bucket, key: "archive/log 2.json", collectUpTo: 1 << 20)
            #expect(Array(copied.body.readableBytesView) == bytes)
        }
    }

    @Test func fileUploadStreamsFromDisk() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        let path = Fixtures.path("wibl/synth-n0183-1mb.wibl")
        let expected = try Fixtures.bytes("wibl/synth-n0183-1mb.wibl")
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("file")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "in/synth.wibl", body: .file(path: path))
            let object = try await s3.getObject(bucket: bucket, key: "in/synth.wibl", collectUpTo: 8 << 20)
            #expect(object.body.readableBytes == expected.count)
            #expect(Array(object.body.readableBytesView) == expected)
        }
    }

    @Test func missingFileIsALocalError() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let error = await #expect(throws: S3Error.self) {
                try await peer.client(http).putObject(
                    bucket: "nobucket", key: "k", body: .file(path: "/nonexistent/x.wibl"))
            }
            guard case .localFile(_, let path, _) = error else {
                Issue.record("wrong error \(String(describing: error))")
                return
            }
            #expect(path == "/nonexistent/x.wibl")
        }
    }

    /// Keys stock moto signs correctly: spaces, `//`, `./`, `../` (others: see the SigV4 vectors).
    @Test(arguments: ["a b.wibl", "2024/boat 1/log 1.wibl", "a//b/./c/../d.wibl", "dir/", "~tilde-_.key"])
    func unusualKeysRoundTrip(_ key: String) async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("keys")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: key, body: .bytes(Array(key.utf8)))
            let object = try await s3.getObject(bucket: bucket, key: key, collectUpTo: 1024)
            #expect(String(decoding: object.body.readableBytesView, as: UTF8.self) == key)
            #expect(try await s3.listAllObjects(bucket: bucket).objects.map(\.key) == [key])
        }
    }

    @Test func missingObjectAndBucket() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("missing")
            try await s3.createBucket(bucket)

            let noKey = await #expect(throws: S3Error.self) {
                _ = try await s3.getObject(bucket: bucket, key: "nope.wibl", collectUpTo: 1024)
            }
            #expect(noKey?.code == "NoSuchKey")
            #expect(noKey?.status == 404)
            #expect(noKey?.isNotFound == true)
            let text = noKey.map { "\($0)" } ?? ""
            #expect(text.contains("S3 GetObject s3://\(bucket)/nope.wibl failed: 404 NoSuchKey"))

            let noBucket = await #expect(throws: S3Error.self) {
                _ = try await s3.getObject(bucket: bucket + "-absent", key: "k", collectUpTo: 1024)
            }
            #expect(noBucket?.code == "NoSuchBucket")
            #expect(try await s3.headObject(bucket: bucket, key: "nope.wibl") == nil)
            #expect(try await s3.headObject(bucket: bucket + "-absent", key: "k") == nil)
            let tagging = await #expect(throws: S3Error.self) {
                _ = try await s3.getObjectTagging(bucket: bucket, key: "nope.wibl")
            }
            #expect(tagging?.code == "NoSuchKey")
        }
    }

    @Test func paginationOverMoreThanAThousandKeys() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http)
            let bucket = uniqueBucket("pages")
            try await s3.createBucket(bucket)
            let keys = (0..<1005).map { "p/\(String($0 / 100))/key \($0).wibl" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                for _ in 0..<12 {
                    let key = keys[next]
                    next += 1
                    group.addTask { try await s3.putObject(bucket: bucket, key: key, body: .bytes([1])) }
                }
                while try await group.next() != nil, next < keys.count {
                    let key = keys[next]
                    next += 1
                    group.addTask { try await s3.putObject(bucket: bucket, key: key, body: .bytes([1])) }
                }
                try await group.waitForAll()
            }
            let all = try await s3.listAllObjects(bucket: bucket)
            #expect(all.objects.count == 1005)
            #expect(Set(all.objects.map(\.key)) == Set(keys))

            var pageSizes: [Int] = []
            for try await page in s3.listObjectsPages(bucket: bucket) { pageSizes.append(page.objects.count) }
            // S3 may return fewer keys than asked with IsTruncated set: Ceph RGW 16.2 answers 977 of
            // 1000 here, moto and AWS fill the page. Every key comes once, in order, in pages <= 1000.
            #expect(pageSizes.count >= 2 && pageSizes.allSatisfy { $0 <= 1000 } && pageSizes.reduce(0, +) == 1005)

            var small: [Int] = []
            var seen = Set<String>()
            for try await page in s3.listObjectsPages(bucket: bucket, prefix: "p", pageSize: 400) {
                small.append(page.objects.count)
                seen.formUnion(page.objects.map(\.key))
            }
            #expect(small == [400, 400, 205])
            #expect(seen.count == 1005)
        }
    }

    @Test func wrongSecretIsASignatureError() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let good = peer.client(http)
            let bucket = uniqueBucket("sig")
            try await good.createBucket(bucket)
            var wrong = peer.credentials
            // another first character (a random secret may itself start with x)
            wrong.secretAccessKey = (wrong.secretAccessKey.first == "x" ? "y" : "x") + wrong.secretAccessKey.dropFirst()
            let bad = peer.client(http, credentials: wrong)
            let error = await #expect(throws: S3Error.self) {
                try await bad.putObject(bucket: bucket, key: "k", body: .bytes([1, 2, 3]))
            }
            #expect(error?.code == peer.wrongSecretCode)
            #expect(error?.status == 403)
            #expect(error?.isAuthenticationFailure == true)
            #expect(try await good.headObject(bucket: bucket, key: "k") == nil)
        }
    }

    @Test func unknownAccessKeyIsInvalidAccessKeyId() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let bucket = uniqueBucket("unknown")
            try await peer.client(http).createBucket(bucket)
            var unknown = peer.credentials
            unknown.accessKeyID = "AKIANOTAREALKEY00000"
            let unknownError = await #expect(throws: S3Error.self) {
                _ = try await peer.client(http, credentials: unknown).listObjectsV2(bucket: bucket)
            }
            #expect(unknownError?.code == "InvalidAccessKeyId")
        }
    }

    @Test func sessionTokenCredentials() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http, credentials: peer.sessionCredentials)
            let bucket = uniqueBucket("sts")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "t.wibl", body: .bytes([9, 9]))
            let object = try await s3.getObject(bucket: bucket, key: "t.wibl", collectUpTo: 16)
            #expect(Array(object.body.readableBytesView) == [9, 9])

            var wrongToken = peer.sessionCredentials
            wrongToken.sessionToken = "not-the-token"
            let error = await #expect(throws: S3Error.self) {
                _ = try await peer.client(http, credentials: wrongToken).headObject(bucket: bucket, key: "t.wibl")
            }
            #expect(error?.status == 400 || error?.status == 403)
        }
    }

    @Test func sessionKeyWithoutTokenIsInvalidAccessKeyId() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http, credentials: peer.sessionCredentials)
            let bucket = uniqueBucket("notoken")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "t.wibl", body: .bytes([9, 9]))
            var noToken = peer.sessionCredentials
            noToken.sessionToken = nil
            let missing = await #expect(throws: S3Error.self) {
                _ = try await peer.client(http, credentials: noToken).getObject(
                    bucket: bucket, key: "t.wibl", collectUpTo: 16)
            }
            #expect(missing?.code == "InvalidAccessKeyId")
        }
    }

    @Test func createBucketOutsideUSEast1AndNotifications() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let s3 = peer.client(http, region: "us-east-2")
            let bucket = uniqueBucket("east2")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "x", body: .bytes([1]))
            #expect(try await s3.headObject(bucket: bucket, key: "x")?.contentLength == 1)

            let again = await #expect(throws: S3Error.self) { try await s3.createBucket(bucket) }
            #expect(again?.code == "BucketAlreadyOwnedByYou" || again?.code == "BucketAlreadyExists")

            try await s3.putBucketNotificationConfiguration(
                bucket: bucket,
                targets: [
                    S3NotificationTarget(
                        kind: .lambdaFunction, id: "wibl-processing",
                        arn: "arn:aws:lambda:us-east-2:123456789012:function:wibl-conversion",
                        events: ["s3:ObjectCreated:*"], suffix: ".wibl"),
                    S3NotificationTarget(
                        kind: .topic, id: "wibl-topic", arn: "arn:aws:sns:us-east-2:123456789012:wibl-incoming",
                        events: ["s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"], prefix: "2024/"),
                    S3NotificationTarget(
                        kind: .queue, arn: "arn:aws:sqs:us-east-2:123456789012:wibl-queue",
                        events: ["s3:ObjectRemoved:*"], prefix: "in/", suffix: ".json"),
                ])
            try await s3.putBucketNotificationConfiguration(bucket: bucket, targets: [])
        }
    }
}

/// Tags in key order, for comparing tag sets.
private func byKey(_ tags: [S3Tag]) -> [S3Tag] { tags.sorted { $0.key < $1.key } }
