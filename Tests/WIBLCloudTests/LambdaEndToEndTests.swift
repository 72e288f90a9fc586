import AsyncHTTPClient
import JSONValue
import Logging
import NIOCore
import S3
import Testing
import WIBLCloud
import WIBLSystem
import WIBLTestSupport

/// The real `bootstrap`, as a subprocess, under a faithful Runtime API, against moto (S3) and a
/// faithful DCDB: a logger file travels from the incoming bucket to DCDB exactly once (issue #5).
@Suite(.serialized) struct LambdaEndToEndTests {
    static func peer() throws -> S3TestPeer { try S3TestPeer.fromEnvironment() }

    static func makeS3(_ peer: S3TestPeer, _ http: HTTPClient) throws -> S3Client {
        peer.client(http, credentials: peer.sessionCredentials)
    }

    /// Environment of a Lambda function: session credentials, region, endpoint override.
    static func lambdaEnvironment(_ peer: S3TestPeer, runtimeAPI: String, handler: String) -> [String: String] {
        let credentials = peer.sessionCredentials
        return [
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI, "_HANDLER": handler, "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey, "AWS_SESSION_TOKEN": credentials.sessionToken ?? "",
            "AWS_REGION": peer.region, "AWS_ENDPOINT_URL_S3": peer.endpointURL, "PROVIDER_ID": "UNHJHC",
            "LOG_LEVEL": "trace",
        ]
    }

    /// Runs the bootstrap while `body` runs; returns what it logged.
    static func withBootstrap(environment: [String: String], _ body: () async throws -> Void) async throws -> String {
        let bootstrap = try BackgroundProcess(
            Fixtures.root + "/.build/debug/bootstrap", environment: environment,
            removing: Environment.all().keys.filter { $0.hasPrefix("AWS_") })
        do {
            try await body()
        } catch {
            try? bootstrap.stop()
            throw error
        }
        return try bootstrap.stop().log
    }

    static func event(bucket: String, key: String) -> [UInt8] {
        let encoded = key.split(separator: " ", omittingEmptySubsequences: false).joined(separator: "+")
        return Array(
            #"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":""#
                .utf8)
            + Array(bucket.utf8) + Array(#""},"object":{"key":""#.utf8) + Array(encoded.utf8)
            + Array(#"","size":1}}}]}"#.utf8)
    }

    @Test func aLoggerFileTravelsFromIncomingToDCDBExactlyOnce() async throws {
        let peer = try Self.peer()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        do {
            let s3 = try Self.makeS3(peer, http)
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let incoming = "incoming-\(suffix)"
            let staging = "staging-\(suffix)"
            try await s3.createBucket(incoming)
            try await s3.createBucket(staging)
            let wibl = try Fixtures.bytes("wibl/synth-v1_0.wibl")
            _ = try await s3.putObject(bucket: incoming, key: "2024/log 1.wibl", body: .bytes(ByteBuffer(bytes: wibl)))
            _ = try await s3.putObject(
                bucket: incoming, key: "broken.wibl", body: .bytes(ByteBuffer(string: "not a logger file")))

            // process
            var processLog = ""
            try await withLocalRuntimeAPI { api in
                var env = Self.lambdaEnvironment(peer, runtimeAPI: api.address, handler: "process")
                env["STAGING_BUCKET"] = staging
                processLog = try await Self.withBootstrap(environment: env) {
                    let good = await api.enqueue(Self.event(bucket: incoming, key: "2024/log 1.wibl"))
                    guard case .response(let body) = good else {
                        Issue.record("process failed: \(good)")
                        return
                    }
                    let summary = try JSONValue.parse(body)
                    #expect(summary["succeeded"] == 1 && summary["failed"] == 0)
                    let bad = await api.enqueue(Self.event(bucket: incoming, key: "broken.wibl"))
                    guard case .error(let errorBody, let type) = bad else {
                        Issue.record("a corrupt file must fail the invocation: \(bad)")
                        return
                    }
                    #expect(type == "WIBL.AllRecordsFailed")
                    #expect(String(decoding: errorBody, as: UTF8.self).contains("not a WIBL file"))
                }
            }
            let staged = try await s3.getObject(bucket: staging, key: "2024/log 1.geojson", collectUpTo: 1 << 24)
            // The same bytes as `wibl convert` writes (this file requests no algorithm, so no lineage timestamps differ).
            let folder = try FileSystem.makeTemporaryFolder()
            let cli = try runWIBL([
                "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/cli.geojson", "--provider-id",
                "UNHJHC",
            ])
            #expect(cli.status == 0)
            #expect(Array(staged.body.readableBytesView) == (try readWholeFile(folder + "/cli.geojson")))
            let stagedTags = try await s3.getObjectTagging(bucket: staging, key: "2024/log 1.geojson")
            #expect(stagedTags.map(\.key).sorted() == ["Logger", "Soundings", "SourceID"])  // RGW sorts tags by key
            #expect(stagedTags.first { $0.key == "Soundings" }?.value == "396")
            #expect(
                try await s3.getObjectTagging(bucket: incoming, key: "2024/log 1.wibl").contains {
                    $0.key == "WIBL-Status" && $0.value == "processed"
                })
            let brokenTags = try await s3.getObjectTagging(bucket: incoming, key: "broken.wibl")
            #expect(brokenTags.contains { $0.key == "WIBL-Status" && $0.value == "failed" })
            #expect(brokenTags.contains { $0.key == "WIBL-Error" && $0.value == "NotWIBL" })
            #expect(
                try await s3.headObject(bucket: staging, key: "broken.geojson") == nil,
                "nothing in staging for a corrupt file")

            // submit, twice
            var submitLog = ""
            try await withLocalDCDB { dcdb in
                try await withLocalRuntimeAPI { api in
                    var env = Self.lambdaEnvironment(peer, runtimeAPI: api.address, handler: "submit")
                    env["UPLOAD_POINT"] = dcdb.uploadPoint
                    env["PROVIDER_AUTH"] = dcdb.expectedToken
                    submitLog = try await Self.withBootstrap(environment: env) {
                        let first = await api.enqueue(Self.event(bucket: staging, key: "2024/log 1.geojson"))
                        guard case .response(let body) = first else {
                            Issue.record("submit failed: \(first)")
                            return
                        }
                        let answer = try JSONValue.parse(body)
                        #expect(answer["items"]?[0]?["status"] == "submitted")
                        let again = await api.enqueue(Self.event(bucket: staging, key: "2024/log 1.geojson"))
                        guard case .response(let body2) = again else {
                            Issue.record("repeat failed: \(again)")
                            return
                        }
                        let answer2 = try JSONValue.parse(body2)
                        #expect(answer2["items"]?[0]?["status"] == "alreadySubmitted")
                    }
                }
                let uploads = await dcdb.acceptedUploads()
                #expect(uploads.count == 1, "exactly one upload for two deliveries of the event")
                #expect(uploads.first?.fileBytes == Array(staged.body.readableBytesView))
                #expect(uploads.first?.uniqueID?.hasPrefix("UNHJHC-") == true)
                #expect(!submitLog.contains(dcdb.expectedToken), "the provider token never appears in the logs")
            }
            #expect(
                try await s3.getObjectTagging(bucket: staging, key: "2024/log 1.geojson").contains {
                    $0.key == "WIBL-Submitted"
                })
            for log in [processLog, submitLog] {
                #expect(
                    !log.contains(peer.sessionCredentials.secretAccessKey)
                        && !log.contains(peer.sessionCredentials.sessionToken ?? "-"),
                    "AWS secrets never appear in the logs")
                #expect(log.contains("aws-request-id"), "logs are JSON lines with the request id")
            }
        }
    }

    /// `wibl lambda invoke` replays an event through the same handler, in process, against moto.
    @Test func wiblLambdaInvokeReplaysAnEvent() async throws {
        let peer = try Self.peer()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        let s3 = try Self.makeS3(peer, http)
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try await s3.createBucket("in-\(suffix)")
        try await s3.createBucket("out-\(suffix)")
        _ = try await s3.putObject(
            bucket: "in-\(suffix)", key: "a.wibl",
            body: .bytes(ByteBuffer(bytes: try Fixtures.bytes("wibl/test-algo-dedup.wibl"))))
        let folder = try FileSystem.makeTemporaryFolder()
        try writeFile(folder + "/event.json", Self.event(bucket: "in-\(suffix)", key: "a.wibl"))
        var env = Self.lambdaEnvironment(peer, runtimeAPI: "", handler: "process")
        env["STAGING_BUCKET"] = "out-\(suffix)"
        let result = try runWIBL(
            ["lambda", "invoke", "--handler", "process", "--event", folder + "/event.json"], environment: env,
            removing: ["AWS_PROFILE"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONValue.parse(Array(result.stdout.utf8))
        #expect(summary["items"]?[0]?["soundings"] == 234)
        #expect(try await s3.headObject(bucket: "out-\(suffix)", key: "a.geojson") != nil)
        let missing = try runWIBL(
            ["lambda", "invoke", "--handler", "submit", "--event", folder + "/event.json"], environment: env,
            removing: ["UPLOAD_POINT", "PROVIDER_AUTH"])
        #expect(missing.status == 6)
        #expect(missing.stderr.contains("UPLOAD_POINT"))
    }

    @Test func aMissingVariableIsAnInitError() async throws {
        let peer = try Self.peer()
        try await withLocalRuntimeAPI { api in
            var env = Self.lambdaEnvironment(peer, runtimeAPI: api.address, handler: "process")
            env["STAGING_BUCKET"] = nil
            let log = try await Self.withBootstrap(environment: env) {
                _ = try await withDeadline(.seconds(60), "an init error") { await api.waitForInitError() }
            }
            let errors = await api.initErrors()
            #expect(errors.count == 1)
            let body = String(decoding: errors.first?.body ?? [], as: UTF8.self)
            #expect(body.contains("STAGING_BUCKET"))
            #expect(!log.isEmpty)
        }
    }
}
