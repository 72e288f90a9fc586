import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import S3
import Testing
import WIBLTestSupport

/// Bounded waits: a host name that does not resolve fails at once, a server that never answers
/// fails at the operation's deadline, and retries stay within that deadline.
@Suite struct S3DeadlineTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static func client(
        _ http: HTTPClient, endpoint: S3Endpoint, requestTimeout: TimeAmount = .seconds(120),
        operationTimeout: Duration, retryPolicy: RetryPolicy = .standard
    ) -> S3Client {
        S3Client(
            httpClient: http, credentialsProvider: StaticCredentialsProvider(credentials), region: "us-east-1",
            endpoint: endpoint, logger: Logger(label: "deadline-test", factory: { _ in SwiftLogNoOpLogHandler() }),
            requestTimeout: requestTimeout, operationTimeout: operationTimeout, retryPolicy: retryPolicy)
    }

    /// Runs `body` with an HTTP client made the way the S3 client asks for.
    static func withConfiguredHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = HTTPClient(
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: S3Client.httpClientConfiguration(connectTimeout: .seconds(5)))
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try await http.shutdown()
            throw error
        }
    }

    @Test func aHostThatDoesNotResolveFailsAtOnceNamingTheEndpoint() async throws {
        // A deadline far beyond what a lookup takes: had the client retried or waited, the error
        // would be `timedOut`, not `unresolvableHost`.
        let error = try await Self.withConfiguredHTTPClient { http in
            await #expect(throws: S3Error.self) {
                _ = try await Self.client(
                    http, endpoint: S3Endpoint(scheme: "http", host: "nosuch.invalid", port: 9000),
                    operationTimeout: .seconds(60)
                ).listObjectsV2(bucket: "b")
            }
        }
        guard case .unresolvableHost(_, let endpoint, let host, _) = error else {
            Issue.record("expected unresolvableHost, got \(String(describing: error))")
            return
        }
        #expect(host == "nosuch.invalid")
        #expect(endpoint == "http://nosuch.invalid:9000")
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("http://nosuch.invalid:9000"))
        #expect(text.contains("does not resolve"))
    }

    @Test func nameResolutionFailuresAreNeverRetried() {
        #expect(!RetryPolicy.isRetryable(.transportFailure(.nameResolution)))
        #expect(
            !RetryPolicy.standard.shouldRetry(after: .transportFailure(.nameResolution), attempt: 1, isIdempotent: true)
        )
    }

    @Test func aServerThatNeverAnswersFailsAtTheDeadline() async throws {
        let started = ContinuousClock.now
        let error = try await withBlackholeListener { port in
            try await Self.withConfiguredHTTPClient { http in
                await #expect(throws: S3Error.self) {
                    _ = try await Self.client(
                        http, endpoint: S3Endpoint(scheme: "http", host: "127.0.0.1", port: port),
                        operationTimeout: .milliseconds(1500)
                    ).getObject(bucket: "b", key: "k", collectUpTo: 100)
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        guard case .timedOut(_, _, let timeout, let attempts, _) = error else {
            Issue.record("expected timedOut, got \(String(describing: error))")
            return
        }
        #expect(timeout == .milliseconds(1500))
        #expect(attempts == 1)  // the per-attempt timeout (120 s) is cut to the operation's deadline
        #expect((error.map { "\($0)" } ?? "").contains("within the deadline of 1.5 s"))
        // An upper bound, not a race: without the deadline this request would wait 120 s.
        #expect(elapsed < .seconds(60))
    }

    @Test func retriesStayWithinTheDeadline() async throws {
        let started = ContinuousClock.now
        let error = try await withBlackholeListener { port in
            try await Self.withConfiguredHTTPClient { http in
                await #expect(throws: S3Error.self) {
                    _ = try await Self.client(
                        http, endpoint: S3Endpoint(scheme: "http", host: "127.0.0.1", port: port),
                        requestTimeout: .milliseconds(500), operationTimeout: .seconds(4),
                        retryPolicy: RetryPolicy(maxAttempts: 1000, baseDelay: .milliseconds(10))
                    ).deleteObject(bucket: "b", key: "k")
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        guard case .timedOut(_, _, let timeout, let attempts, _) = error else {
            Issue.record("expected timedOut, got \(String(describing: error))")
            return
        }
        #expect(timeout == .seconds(4))
        // 1000 attempts of 0.5 s were allowed (over 8 minutes): the deadline, not the attempt count,
        // ended the operation. (How many attempts fit depends on how busy the machine is.)
        #expect(attempts >= 1 && attempts < 1000)
        #expect(elapsed < .seconds(60))
    }
}
