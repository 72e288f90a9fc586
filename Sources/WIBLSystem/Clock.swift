/// The system's clocks: the wall clock (UTC, for timestamps) and a monotonic clock (for durations).
public enum SystemClock {
    /// Nanoseconds since 1970-01-01T00:00:00Z (`CLOCK_REALTIME`).
    @Sendable public static func wallNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Microseconds since 1970-01-01T00:00:00Z (lineage timestamps, `nodatareject`).
    @Sendable public static func wallMicroseconds() -> Int64 { wallNanoseconds() / 1000 }

    /// Milliseconds since 1970-01-01T00:00:00Z (Lambda deadlines are given in it).
    @Sendable public static func wallMilliseconds() -> Int64 { wallNanoseconds() / 1_000_000 }

    /// Whole seconds since 1970-01-01T00:00:00Z (SigV4 timestamps).
    @Sendable public static func wallSeconds() -> Int64 { wallNanoseconds() / 1_000_000_000 }

    /// Nanoseconds on a clock that never jumps (`CLOCK_MONOTONIC`), for measuring durations.
    @Sendable public static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Seconds on the monotonic clock, for durations.
    @Sendable public static func monotonicSeconds() -> Double { Double(monotonicNanoseconds()) / 1e9 }
}
