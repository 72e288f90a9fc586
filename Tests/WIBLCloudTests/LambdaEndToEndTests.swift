import AsyncHTTPClient
import Foundation
import JSONValue
import Logging
import NIOCore
import S3
import Testing
import WIBLCloud
import WIBLTestSupport

/// The real `bootstrap`, as a subprocess, under a faithful Runtime API, against moto (S3) and a
/// faithful DCDB: a logger file travels from the incoming bucket to DCDB exactly once (issue #5).
@Suite(.serialized) struct LambdaEndToEndTests {
    struct Peer {
        var endpoint: String
        var region: String
        var key: String
        var secret: String
        var token: String
    }

    static func peer() throws -> Peer {
        let env = ProcessInfo.processInfo.environment
        guard let endpoint = env["WIBL_TEST_S3_ENDPOINT"], let key = env["WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID"],
            let secret = env["WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY"], let token = env["WIBL_TEST_AWS_SESSION_TOKEN"]
        else {
            throw FixtureError(
                description:
                    "WIBL_TEST_S3_ENDPOINT and the WIBL_TEST_AWS_SESSION_* variables are not set: run scripts/test.sh (it starts moto)"
            )
        }
        return Peer(
            endpoint: endpoint, region: env["WIBL_TEST_AWS_REGION"] ?? "us-east-1", key: key, secret: secret,
            token: token)
    }

    static func makeS3(_ peer: Peer, _ http: HTTPClient) throws -> S3Client {
        let credentials = AWSCredentials(accessKeyID: peer.key, secretAccessKey: peer.secret, sessionToken: peer.token)
        let endpoint = try AWSConfigurationResolver(environment: ["AWS_ENDPOINT_URL_S3": peer.endpoint])
            .endpoint(region: peer.region)
        return S3Client(
            httpClient: http, credentialsProvider: StaticCredentialsProvider(credentials), region: peer.region,
            endpoint: endpoint, logger: Logger(label: "test"))
    }

    /// Environment of a Lambda function: session credentials, region, endpoint override.
    static func lambdaEnvironment(_ peer: Peer, runtimeAPI: String, handler: String) -> [String: String] {
        [
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI, "_HANDLER": handler, "AWS_ACCESS_KEY_ID": peer.key,
            "AWS_SECRET_ACCESS_KEY": peer.secret, "AWS_SESSION_TOKEN": peer.token, "AWS_REGION": peer.region,
            "AWS_ENDPOINT_URL_S3": peer.endpoint, "PROVIDER_ID": "UNHJHC", "LOG_LEVEL": "trace",
        ]
    }

    /// Runs the bootstrap while `body` runs; returns what it logged.
    static func withBootstrap(environment: [String: String], _ body: () async throws -> Void) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.root + "/.build/debug/bootstrap")
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        let logFile = NSTemporaryDirectory() + "bootstrap-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: logFile, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        do {
            try await body()
        } catch {
            process.terminate()
            throw error
        }
        process.terminate()
        process.waitUntilExit()
        try handle.close()
        return (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    static func event(bucket: String, key: String) -> [UInt8] {
        let encoded = key.replacingOccurrences(of: " ", with: "+")
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
            let suffix = UUID().uuidString.lowercased().prefix(8)
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
            let folder = try makeTemporaryFolder()
            let cli = try runWIBL([
                "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/cli.geojson", "--provider-id",
                "UNHJHC",
            ])
            #expect(cli.status == 0)
            #expect(Array(staged.body.readableBytesView) == (try readFile(folder + "/cli.geojson")))
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
                #expect(!log.contains(peer.secret) && !log.contains(peer.token), "AWS secrets never appear in the logs")
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
        let suffix = UUID().uuidString.lowercased().prefix(8)
        try await s3.createBucket("in-\(suffix)")
        try await s3.createBucket("out-\(suffix)")
        _ = try await s3.putObject(
            bucket: "in-\(suffix)", key: "a.wibl",
            body: .bytes(ByteBuffer(bytes: try Fixtures.bytes("wibl/test-algo-dedup.wibl"))))
        let folder = try makeTemporaryFolder()
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
                for _ in 0..<100 where await api.initErrors().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            let errors = await api.initErrors()
            #expect(errors.count == 1)
            let body = String(decoding: errors.first?.body ?? [], as: UTF8.self)
            #expect(body.contains("STAGING_BUCKET"))
            #expect(!log.isEmpty)
        }
    }
}
