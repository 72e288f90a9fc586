import WIBLSystem

/// A UTC instant with one-second resolution, as used in SigV4's `x-amz-date` and credential scope.
///
/// The civil date comes from the project's one UTC calendar (``UTCCalendar``), so no
/// `DateFormatter` or Foundation is involved (`STYLE.md`, "Foundation only at the edges").
public struct AWSTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    /// Creates a timestamp from seconds since the Unix epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Parses the SigV4 basic ISO 8601 form `YYYYMMDDTHHMMSSZ` (e.g. `20150830T123600Z`).
    ///
    /// - Returns: `nil` if the text is not exactly in that form or names an impossible date.
    public init?(amzDate text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), day >= 1, day <= UTCCalendar.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = UTCCalendar.days(year: year, month: month, day: day)
        self.secondsSince1970 = days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// The current time from the system's real-time clock.
    public static func now() -> AWSTimestamp {
        AWSTimestamp(secondsSince1970: SystemClock.wallSeconds())
    }

    /// Orders instants chronologically.
    public static func < (lhs: AWSTimestamp, rhs: AWSTimestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// The UTC calendar fields of this instant.
    public var civil: (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        let f = UTCCalendar.fields(secondsSince1970: secondsSince1970)
        return (f.year, f.month, f.day, f.hour, f.minute, f.second)
    }

    /// The `x-amz-date` value: `YYYYMMDDTHHMMSSZ` (SigV4 "Create a string to sign", line 2).
    public var amzDate: String {
        let c = civil
        return UTCCalendar.padded(c.year, 4) + UTCCalendar.padded(c.month, 2) + UTCCalendar.padded(c.day, 2) + "T"
            + UTCCalendar.padded(c.hour, 2)
            + UTCCalendar.padded(c.minute, 2) + UTCCalendar.padded(c.second, 2) + "Z"
    }

    /// The date stamp `YYYYMMDD` used in the credential scope and the signing key.
    public var dateStamp: String {
        let c = civil
        return UTCCalendar.padded(c.year, 4) + UTCCalendar.padded(c.month, 2) + UTCCalendar.padded(c.day, 2)
    }
}
