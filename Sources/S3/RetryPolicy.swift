/// How one attempt of a request ended, as far as the retry decision is concerned.
public enum AttemptOutcome: Sendable, Hashable {
    /// S3 answered with an HTTP status ≥ 300 and, when the body had one, an error code.
    case httpError(status: Int, code: String?)
    /// The request did not complete.
    case transportFailure(TransportFailure)

    /// The classes of transport failure.
    public enum TransportFailure: Sendable, Hashable {
        /// Connection refused, reset or closed early; TLS handshake failure.
        case connection
        /// The endpoint's host name did not resolve: never retried (the answer would be the same,
        /// and the user should hear about it at once).
        case nameResolution
        /// The request's timeout or deadline passed.
        case timeout
        /// The task was cancelled: never retried.
        case cancelled
        /// Anything else (e.g. the request could not be built): never retried.
        case other
    }
}

/// The "standard" retry mode of the AWS SDKs, as a pure decision plus a back-off computation.
///
/// AWS SDKs and Tools Reference Guide, "Retry behavior" (standard mode): at most 3 attempts in all;
/// exponential back-off with full jitter, `random(0…1) × base × 2^(retry−1)`, capped at 20 s;
/// retried are throttling errors (`Throttling`, `ThrottlingException`, `ThrottledException`,
/// `RequestThrottledException`, `TooManyRequestsException`, `SlowDown`, `RequestLimitExceeded`,
/// `BandwidthLimitExceeded`, `ProvisionedThroughputExceededException`, HTTP 429), transient errors
/// (`RequestTimeout`, `RequestTimeoutException`, `PriorRequestNotComplete`, `InternalError`, HTTP 500,
/// 502, 503, 504) and connection errors. Other 4xx answers (403 `AccessDenied`, 404 `NoSuchKey`, 400
/// `InvalidArgument`, …) are never retried: the same request would fail the same way.
///
/// Only idempotent requests are retried. Every operation of ``S3Client`` is idempotent (a PUT of
/// the same bytes to the same key, a DELETE, a GET), and a file body is re-opened for each attempt.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, including the first. `1` disables retries.
    public var maxAttempts: Int
    /// The back-off base: the first retry waits up to this long, each further one twice as long.
    public var baseDelay: Duration
    /// No wait is longer than this.
    public var maxDelay: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The SDKs' standard mode: 3 attempts, base 1 s, cap 20 s.
    public static let standard = RetryPolicy()

    /// A single attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Error codes S3 uses for throttling and transient failures.
    public static let retryableCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
        "InternalError",
    ]

    /// Whether an outcome is worth another attempt at all (ignoring the attempt count).
    public static func isRetryable(_ outcome: AttemptOutcome) -> Bool {
        switch outcome {
        case .httpError(let status, let code):
            if let code, retryableCodes.contains(code) { return true }
            return status == 429 || (500...599).contains(status)
        case .transportFailure(let failure):
            return failure == .connection || failure == .timeout
        }
    }

    /// The retry decision.
    ///
    /// - Parameters:
    ///   - outcome: How the attempt ended.
    ///   - attempt: The number of the attempt that just ended, from 1.
    ///   - isIdempotent: Whether repeating the request is safe.
    /// - Returns: `true` to try again (after ``delay(beforeRetry:random:)``).
    public func shouldRetry(after outcome: AttemptOutcome, attempt: Int, isIdempotent: Bool) -> Bool {
        isIdempotent && attempt < maxAttempts && Self.isRetryable(outcome)
    }

    /// The wait before retry number `retry` (1 for the first retry): full jitter,
    /// `random × min(maxDelay, baseDelay × 2^(retry−1))`.
    ///
    /// - Parameters:
    ///   - retry: The retry number, from 1.
    ///   - random: A number in `0…1` (injected, so tests are deterministic).
    public func delay(beforeRetry retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let fraction = min(max(random, 0), 1)
        return ceiling * fraction
    }
}
