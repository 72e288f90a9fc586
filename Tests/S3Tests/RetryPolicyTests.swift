import S3
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy.standard

    @Test(arguments: [
        (AttemptOutcome.httpError(status: 500, code: "InternalError"), true),
        (.httpError(status: 502, code: nil), true),
        (.httpError(status: 503, code: "SlowDown"), true),
        (.httpError(status: 503, code: nil), true),
        (.httpError(status: 504, code: nil), true),
        (.httpError(status: 400, code: "RequestTimeout"), true),
        (.httpError(status: 400, code: "ThrottlingException"), true),
        (.httpError(status: 429, code: nil), true),
        (.transportFailure(.connection), true),
        (.transportFailure(.timeout), true),
        (.httpError(status: 403, code: "AccessDenied"), false),
        (.httpError(status: 403, code: "SignatureDoesNotMatch"), false),
        (.httpError(status: 404, code: "NoSuchKey"), false),
        (.httpError(status: 400, code: "InvalidArgument"), false),
        (.httpError(status: 400, code: "XAmzContentSHA256Mismatch"), false),
        (.httpError(status: 301, code: "PermanentRedirect"), false),
        (.transportFailure(.cancelled), false),
        (.transportFailure(.other), false),
    ])
    func retryableOutcomes(_ outcome: AttemptOutcome, _ retryable: Bool) {
        #expect(RetryPolicy.isRetryable(outcome) == retryable)
        #expect(policy.shouldRetry(after: outcome, attempt: 1, isIdempotent: true) == retryable)
        #expect(policy.shouldRetry(after: outcome, attempt: 2, isIdempotent: true) == retryable)
    }

    @Test func atMostThreeAttempts() {
        #expect(!policy.shouldRetry(after: .httpError(status: 503, code: "SlowDown"), attempt: 3, isIdempotent: true))
        #expect(!RetryPolicy.none.shouldRetry(after: .transportFailure(.connection), attempt: 1, isIdempotent: true))
    }

    @Test func neverRetriesNonIdempotentRequests() {
        #expect(!policy.shouldRetry(after: .httpError(status: 503, code: nil), attempt: 1, isIdempotent: false))
    }

    @Test func fullJitterExponentialBackoffWithCap() {
        #expect(policy.delay(beforeRetry: 1, random: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 2, random: 1) == .seconds(2))
        #expect(policy.delay(beforeRetry: 3, random: 0.5) == .seconds(2))
        #expect(policy.delay(beforeRetry: 10, random: 1) == .seconds(20))
        #expect(policy.delay(beforeRetry: 60, random: 1) == .seconds(20))
        #expect(policy.delay(beforeRetry: 1, random: 0) == .zero)
        #expect(policy.delay(beforeRetry: 1, random: 7) == .seconds(1))  // clamped
        let custom = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(250))
        #expect(custom.delay(beforeRetry: 2, random: 1) == .milliseconds(200))
        #expect(custom.delay(beforeRetry: 3, random: 1) == .milliseconds(250))
    }
}
