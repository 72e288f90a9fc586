import AsyncHTTPClient
import Logging
import S3
import WIBLSystem

/// The S3 server the tests run against, started by `scripts/moto.sh` (or another script with the
/// same contract, written at the top of that script): the one place tests find it.
public struct S3TestPeer: Sendable {
    /// The variables of the contract.
    public static let variables = [
        "WIBL_TEST_S3_ENDPOINT", "WIBL_TEST_AWS_ACCESS_KEY_ID", "WIBL_TEST_AWS_SECRET_ACCESS_KEY",
        "WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID", "WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY", "WIBL_TEST_AWS_SESSION_TOKEN",
    ]

    /// The parsed endpoint.
    public var endpoint: S3Endpoint
    /// `http://127.0.0.1:PORT`.
    public var endpointURL: String
    /// The region buckets are made in.
    public var region: String
    /// The IAM user's long-term key.
    public var credentials: AWSCredentials
    /// Temporary credentials with a session token.
    public var sessionCredentials: AWSCredentials
    /// The peer is Ceph RGW (`scripts/rgw.sh` sets WIBL_TEST_S3_PEER=rgw), not moto.
    public var isRGW: Bool = false
    /// The error code for a request signed with a wrong secret: SignatureDoesNotMatch on AWS and moto;
    /// RGW 16.2 with its STS on (needed for session credentials) answers 403 AccessDenied.
    public var wrongSecretCode: String { isRGW ? "AccessDenied" : "SignatureDoesNotMatch" }

    /// Reads the peer from the environment; fails the test with instructions when it is not set.
    public static func fromEnvironment() throws -> S3TestPeer {
        func value(_ name: String) -> String? { Environment.nonEmpty(name) }
        let missing = variables.filter { value($0) == nil }
        guard missing.isEmpty, let url = value("WIBL_TEST_S3_ENDPOINT"),
            let key = value("WIBL_TEST_AWS_ACCESS_KEY_ID"), let secret = value("WIBL_TEST_AWS_SECRET_ACCESS_KEY"),
            let sessionKey = value("WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID"),
            let sessionSecret = value("WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY"),
            let token = value("WIBL_TEST_AWS_SESSION_TOKEN")
        else {
            let message =
                "S3 integration tests need a moto_server: run `d=$(mktemp -d); scripts/moto.sh start $d; "
                + "set -a; . $d/env; set +a` (or scripts/test.sh). Missing: \(missing.joined(separator: ", "))"
            throw TestSetupError(message)
        }
        return S3TestPeer(
            endpoint: try S3Endpoint(url: url), endpointURL: url, region: value("WIBL_TEST_AWS_REGION") ?? "us-east-1",
            credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret),
            sessionCredentials: AWSCredentials(
                accessKeyID: sessionKey, secretAccessKey: sessionSecret, sessionToken: token),
            isRGW: value("WIBL_TEST_S3_PEER") == "rgw")
    }

    /// A client for the peer.
    public func client(
        _ http: HTTPClient, credentials: AWSCredentials? = nil, region: String? = nil,
        logger: Logger = Logger(label: "s3-test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) -> S3Client {
        S3Client(
            httpClient: http, credentialsProvider: StaticCredentialsProvider(credentials ?? self.credentials),
            region: region ?? self.region, endpoint: endpoint, logger: logger, requestTimeout: .seconds(30),
            retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20)))
    }
}

/// A bucket name no other (parallel) test uses: `wibl-<label>-<random>`.
public func uniqueBucket(_ label: String) -> String {
    "wibl-\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
}

/// A test could not set up its environment.
public struct TestSetupError: Error, CustomStringConvertible {
    /// What is missing, and how to provide it.
    public var description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
