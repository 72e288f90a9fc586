/// `body` did not finish within the time a test gave it.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    /// What was awaited.
    public var what: String
    /// The time allowed.
    public var limit: Duration

    /// "… did not happen within …".
    public var description: String { "\(what) did not happen within \(limit)" }
}

/// Awaits `body`, but fails with ``DeadlineExceeded`` after `limit`: a bound on a failing test, never
/// a way to order events (tests await signals for that).
public func withDeadline<Result: Sendable>(
    _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw DeadlineExceeded(what: what, limit: limit)
        }
        return result
    }
}
