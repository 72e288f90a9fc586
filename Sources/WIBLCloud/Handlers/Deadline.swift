/// An operation ran out of the invocation's time (its remaining time minus the safety margin).
public struct DeadlineExceeded: Error, Sendable, CustomStringConvertible, ClassifiedError {
    /// What was running.
    public var operation: String
    /// The time it was given.
    public var limit: Duration

    /// A sentence.
    public var description: String { "\(operation) did not finish within the \(limit) left before the deadline" }
    /// `Timeout`.
    public var errorClass: String { "Timeout" }
}

/// Runs `operation`, cancelling it when `limit` has passed (AsyncHTTPClient's `execute` stops on
/// cancellation); then throws ``DeadlineExceeded``. A limit of zero or less fails at once.
public func withDeadline<T: Sendable>(
    _ limit: Duration, operation name: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard limit > .zero else { throw DeadlineExceeded(operation: name, limit: limit) }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(operation: name, limit: limit) }
        guard let value = first else { throw DeadlineExceeded(operation: name, limit: limit) }
        return value
    }
}
