import AsyncHTTPClient
import Logging
import S3
import Testing
import WIBLSystem
import WIBLTestSupport

/// The moto_server started by `scripts/moto.sh` (see the contract at the top of that script).
struct MotoPeer: Sendable {
    static let variables = [
        "WIBL_TEST_S3_ENDPOINT", "WIBL_TEST_AWS_ACCESS_KEY_ID", "WIBL_TEST_AWS_SECRET_ACCESS_KEY",
        "WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID", "WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY", "WIBL_TEST_AWS_SESSION_TOKEN",
    ]

    var endpoint: S3Endpoint
    var endpointURL: String
    var region: String
    var credentials: AWSCredentials
    var sessionCredentials: AWSCredentials

    /// Reads the peer from the environment; fails the test with instructions when it is not set.
    static func fromEnvironment() throws -> MotoPeer {
        func value(_ name: String) -> String? {
            guard let raw = getenv(name) else { return nil }
            let text = String(cString: raw)
            return text.isEmpty ? nil : text
        }
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
        return MotoPeer(
            endpoint: try S3Endpoint(url: url), endpointURL: url, region: value("WIBL_TEST_AWS_REGION") ?? "us-east-1",
            credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret),
            sessionCredentials: AWSCredentials(
                accessKeyID: sessionKey, secretAccessKey: sessionSecret, sessionToken: token))
    }

    /// A client for the peer.
    func client(
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
func uniqueBucket(_ label: String) -> String {
    "wibl-\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
}

/// A test could not set up its environment.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
