import AWSParameterStore
import AWSSigV4
import AsyncHTTPClient
import Testing
import WIBLTestSupport

/// The moto_server of `scripts/moto.sh` serves SSM on the same port as S3, with signature checking.
extension S3TestPeer {
    func ssm(_ http: HTTPClient, credentials: AWSCredentials? = nil) throws -> ParameterStoreClient {
        let chosen = credentials ?? self.credentials
        return ParameterStoreClient(
            httpClient: http, credentials: { chosen }, region: region,
            endpoint: try ParameterStoreEndpoint(url: endpointURL))
    }
}

/// A name no other (parallel) test uses.
func uniqueName(_ label: String) -> String {
    "/wibl-test/\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
}

@Suite struct ParameterStoreTests {
    @Test func aSecureStringRoundTripsWithDecryption() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let ssm = try peer.ssm(http)
            let name = uniqueName("token")
            let secret = "token-\(UInt64.random(in: 0...UInt64.max))"
            let version = try await ssm.putParameter(name: name, value: secret)
            #expect(version == 1)

            let read = try await ssm.getParameter(name: name)
            #expect(read.value == secret)
            #expect(read.type == "SecureString")
            #expect(read.name == name)
            #expect(read.version == 1)
            // printing it never shows the value
            #expect(!"\(read)".contains(secret))
            #expect(!String(reflecting: read).contains(secret))
            var dumped = ""
            dump(read, to: &dumped)
            #expect(!dumped.contains(secret))

            // without decryption a SecureString does not come back in clear
            let encrypted = try await ssm.getParameter(name: name, withDecryption: false)
            #expect(encrypted.value != secret)

            // overwrite: a new version
            #expect(try await ssm.putParameter(name: name, value: secret + "2", overwrite: true) == 2)
            #expect(try await ssm.getParameter(name: name).value == secret + "2")
        }
    }

    @Test func sessionCredentialsSignTheSecurityToken() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let name = uniqueName("session")
            try await try peer.ssm(http).putParameter(name: name, value: "v", type: "String")
            let read = try await try peer.ssm(http, credentials: peer.sessionCredentials).getParameter(name: name)
            #expect(read.value == "v")
            #expect(read.type == "String")
        }
    }

    @Test func aMissingParameterIsParameterNotFound() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let name = uniqueName("absent")
            let error = await #expect(throws: ParameterStoreError.self) {
                try await try peer.ssm(http).getParameter(name: name)
            }
            guard case .service(let operation, let errorName, let status, let type, _) = error else {
                Issue.record("expected a service error, got \(String(describing: error))")
                return
            }
            #expect(operation == "GetParameter")
            #expect(errorName == name)
            #expect(status == 400)
            #expect(type == "ParameterNotFound")
            #expect(error?.errorClass == "ParameterNotFound")
            #expect(error?.description.contains(name) == true)
        }
    }

    @Test func aWrongSecretKeyIsRefusedAndTheValueIsNotInTheError() async throws {
        let peer = try S3TestPeer.fromEnvironment()
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            let name = uniqueName("signed")
            let secret = "secret-\(UInt64.random(in: 0...UInt64.max))"
            try await try peer.ssm(http).putParameter(name: name, value: secret)
            let wrong = AWSCredentials(
                accessKeyID: peer.credentials.accessKeyID, secretAccessKey: peer.credentials.secretAccessKey + "x")
            let error = await #expect(throws: ParameterStoreError.self) {
                try await try peer.ssm(http, credentials: wrong).getParameter(name: name)
            }
            guard case .service(_, _, let status, _, _) = error else {
                Issue.record("expected a service error, got \(String(describing: error))")
                return
            }
            #expect((400..<500).contains(status))
            #expect(error?.description.contains(secret) == false)

            // a put that fails does not echo the value either
            let clash = await #expect(throws: ParameterStoreError.self) {
                try await try peer.ssm(http).putParameter(name: name, value: secret, overwrite: false)
            }
            #expect(clash?.errorClass == "ParameterAlreadyExists")
            #expect(clash?.description.contains(secret) == false)
        }
    }

    @Test func unreachableEndpointIsATransportError() async throws {
        try await HTTPClient.withHTTPClient { (http: HTTPClient) async throws in
            // port 1 on loopback: nothing listens there
            let ssm = ParameterStoreClient(
                httpClient: http, credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s") },
                region: "us-east-1", endpoint: try ParameterStoreEndpoint(url: "http://127.0.0.1:1"),
                timeout: .seconds(5))
            let error = await #expect(throws: ParameterStoreError.self) { try await ssm.getParameter(name: "/x") }
            #expect(error?.errorClass == "Transport")
        }
    }

    @Test func endpointResolution() throws {
        #expect(
            try ParameterStoreEndpoint.resolve(region: "us-east-2", environment: [:]).url
                == "https://ssm.us-east-2.amazonaws.com/")
        #expect(
            try ParameterStoreEndpoint.resolve(
                region: "us-east-2", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000"]
            ).url == "http://127.0.0.1:5000/")
        #expect(
            try ParameterStoreEndpoint.resolve(
                region: "us-east-2",
                environment: [
                    "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_SSM": "http://localhost:7/",
                ]
            ).hostHeader == "localhost:7")
        for bad in ["ftp://x", "http://", "http://h/path", "localhost:5000", "http://u@h"] {
            #expect(throws: ParameterStoreError.invalidEndpoint(bad)) { try ParameterStoreEndpoint(url: bad) }
        }
    }
}
