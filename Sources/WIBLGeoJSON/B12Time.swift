import WIBLSystem

/// B-12 time strings: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (`geojson-b12.md` §3).
public enum B12Time {
    /// Whole seconds since the epoch of 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z, the years a
    /// B-12 time can have (G7).
    public static let secondsRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Splits seconds since 1970-01-01T00:00:00Z into whole seconds and microseconds exactly as
    /// Python's `datetime.fromtimestamp(t, timezone.utc)`: `modf`, microseconds rounded half to even,
    /// carry into the seconds. `nil` for a non-finite `t`.
    public static func split(_ t: Double) -> (seconds: Int64, microseconds: Int64)? {
        guard t.isFinite, abs(t) < 1e15 else { return nil }
        let whole = t.rounded(.towardZero)
        let fraction = t - whole
        var micro = Int64((fraction * 1_000_000).rounded(.toNearestOrEven))
        var seconds = Int64(whole)
        if micro >= 1_000_000 {
            micro -= 1_000_000
            seconds += 1
        } else if micro < 0 {
            micro += 1_000_000
            seconds -= 1
        }
        return (seconds, micro)
    }

    /// The civil UTC date and time of whole seconds since the epoch (proleptic Gregorian).
    public static func civil(_ seconds: Int64) -> (
        year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64
    ) {
        let days = seconds.floorDiv(86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = UTCCalendar.civil(days: days)
        return (year, month, day, secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
    }

    /// Appends the time string of `t` to `out`; returns `false` (and appends nothing) when `t` is not
    /// finite or its year is outside 0001–9999 (G7).
    @discardableResult
    public static func append(_ t: Double, to out: inout [UInt8]) -> Bool {
        guard let (seconds, micro) = split(t), (1...9999).contains(civil(seconds).year) else { return false }
        append(seconds: seconds, microseconds: micro, to: &out)
        return true
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` for whole seconds and microseconds since the epoch.
    static func append(seconds: Int64, microseconds micro: Int64, to out: inout [UInt8]) {
        let c = civil(seconds)
        appendDigits(c.year, 4, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(c.month, 2, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(c.day, 2, &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(c.hour, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(c.minute, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(c.second, 2, &out)
        out.append(UInt8(ascii: "."))
        appendDigits(micro, 6, &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// The time string of `t`, or `nil` as for ``append(_:to:)``.
    public static func format(_ t: Double) -> String? {
        var out: [UInt8] = []
        guard append(t, to: &out) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// The time string of whole microseconds since the epoch (lineage timestamps).
    public static func format(microseconds: Int64) -> String {
        let seconds = microseconds.floorDiv(1_000_000)
        var out: [UInt8] = []
        append(seconds: seconds, microseconds: microseconds - seconds * 1_000_000, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func appendDigits(_ value: Int64, _ width: Int, _ out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: 0x30 + v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }
}

extension Int64 {
    /// Division rounding toward minus infinity.
    @inline(__always)
    func floorDiv(_ d: Int64) -> Int64 { UTCCalendar.floorDivide(self, d) }
}
