import AWSParameterStore
import AWSSigV4
import AsyncHTTPClient
import Logging
import NIOCore
import S3
import Testing
import WIBLCloud
import WIBLSystem
import WIBLTestSupport

/// The submit handler reads the DCDB token from an SSM SecureString at start-up
/// (PROVIDER_AUTH_PARAMETER), signed with the function's credentials: the real `bootstrap`
/// (`bootstrap invoke`) against moto (S3 and SSM) and the local DCDB. The token reaches DCDB in
/// `x-auth-token` and nowhere else: not in the output, not in the logs, not in an error.
@Suite(.serialized) struct ProviderAuthParameterTests {
    static var bootstrap: String { Fixtures.root + "/.build/debug/bootstrap" }

    /// The submit environment with the token's parameter instead of the token.
    static func environment(_ peer: S3TestPeer, uploadPoint: String, parameter: String) -> [String: String] {
        var env = LambdaEndToEndTests.lambdaEnvironment(peer, runtimeAPI: "", handler: "submit")
        env["AWS_LAMBDA_RUNTIME_API"] = nil
        env["AWS_ENDPOINT_URL_SSM"] = peer.endpointURL
        env["UPLOAD_POINT"] = uploadPoint
        env["PROVIDER_AUTH_PARAMETER"] = parameter
        return env
    }

    static func ssm(_ peer: S3TestPeer, _ http: HTTPClient) throws -> ParameterStoreClient {
        let credentials = peer.sessionCredentials
        return ParameterStoreClient(
            httpClient: http, credentials: { credentials }, region: peer.region,
            endpoint: try ParameterStoreEndpoint(url: peer.endpointURL))
    }

    @Test func theTokenComesFromTheParameterAndGoesOnlyToDCDB() async throws {
        let peer = try LambdaEndToEndTests.peer()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        let s3 = try LambdaEndToEndTests.makeS3(peer, http)
        let staging = "ssm-staging-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        try await s3.createBucket(staging)
        let folder = try FileSystem.makeTemporaryFolder()
        defer { FileSystem.removeTree(folder) }
        let converted = try runWIBL([
            "convert", Fixtures.path("wibl/synth-v1_0.wibl"), "-o", folder + "/log.geojson", "--provider-id", "UNHJHC",
        ])
        try #require(converted.status == 0, "wibl convert: \(converted.stderr)")
        _ = try await s3.putObject(
            bucket: staging, key: "log.geojson",
            body: .bytes(ByteBuffer(bytes: try readWholeFile(folder + "/log.geojson"))),
            tags: [S3Tag(key: "SourceID", value: "SSMTEST")])
        try writeFile(folder + "/event.json", LambdaEndToEndTests.event(bucket: staging, key: "log.geojson"))

        try await withLocalDCDB { dcdb in
            let parameter = "/wibl-test/provider-auth-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            try await Self.ssm(peer, http).putParameter(name: parameter, value: dcdb.expectedToken)
            var env = Self.environment(peer, uploadPoint: dcdb.uploadPoint, parameter: parameter)
            env["LOG_LEVEL"] = "trace"
            let result = try await runProcessAsync(
                Self.bootstrap, ["invoke", "submit", folder + "/event.json"], environment: env,
                removing: ["PROVIDER_AUTH"])
            #expect(result.status == 0, "bootstrap invoke: \(result.stderr)")
            #expect(await dcdb.acceptedUploads().count == 1, "DCDB accepted the token read from SSM")
            #expect(result.stderr.contains("DCDB token read from SSM Parameter Store"))
            #expect(result.stderr.contains(parameter))
            #expect(!result.stdout.contains(dcdb.expectedToken) && !result.stderr.contains(dcdb.expectedToken))
        }
    }

    @Test func aMissingParameterIsAnInitErrorNamingIt() async throws {
        let peer = try LambdaEndToEndTests.peer()
        let folder = try FileSystem.makeTemporaryFolder()
        defer { FileSystem.removeTree(folder) }
        try writeFile(folder + "/event.json", LambdaEndToEndTests.event(bucket: "nowhere", key: "x.geojson"))
        let parameter = "/wibl-test/absent-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let result = try await runProcessAsync(
            Self.bootstrap, ["invoke", "submit", folder + "/event.json"],
            environment: Self.environment(peer, uploadPoint: "https://127.0.0.1:1/", parameter: parameter),
            removing: ["PROVIDER_AUTH"])
        #expect(result.status == 6, "an incomplete environment: \(result.stderr)")
        #expect(result.stderr.contains(parameter) && result.stderr.contains("ParameterNotFound"), "\(result.stderr)")
    }

    @Test func providerAuthInTheEnvironmentWinsForLocalRuns() async throws {
        let env = ["PROVIDER_AUTH": "local-token", "PROVIDER_AUTH_PARAMETER": "/never/read"]
        // no AWS settings at all: the parameter is not read
        let resolved = try await PipelineFactory.resolvingProviderAuth(
            environment: env, httpClient: .shared, logger: Logger(label: "test"))
        #expect(resolved == env)
        let none = try await PipelineFactory.resolvingProviderAuth(
            environment: ["PROVIDER_ID": "X"], httpClient: .shared, logger: Logger(label: "test"))
        #expect(none == ["PROVIDER_ID": "X"])
    }
}
