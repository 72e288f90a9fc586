/// A UTC instant with one-second resolution, as used in SigV4's `x-amz-date` and credential scope.
///
/// The civil date is computed by our own proleptic-Gregorian arithmetic (days since 1970-01-01 to
/// year/month/day, H. Hinnant's `civil_from_days` algorithm), so no `DateFormatter` or Foundation is
/// involved (`STYLE.md`, "Foundation only at the edges").
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
            (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.secondsSince1970 = days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// The current time from the system's real-time clock.
    public static func now() -> AWSTimestamp {
        AWSTimestamp(secondsSince1970: currentUnixSeconds())
    }

    public static func < (lhs: AWSTimestamp, rhs: AWSTimestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// The UTC calendar fields of this instant.
    public var civil: (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        let days = Self.floorDivide(secondsSince1970, 86_400)
        let secondOfDay = secondsSince1970 - days * 86_400
        let (year, month, day) = Self.civilFromDays(days)
        return (year, month, day, secondOfDay / 3600, (secondOfDay % 3600) / 60, secondOfDay % 60)
    }

    /// The `x-amz-date` value: `YYYYMMDDTHHMMSSZ` (SigV4 "Create a string to sign", line 2).
    public var amzDate: String {
        let c = civil
        return Self.pad(c.year, 4) + Self.pad(c.month, 2) + Self.pad(c.day, 2) + "T" + Self.pad(c.hour, 2)
            + Self.pad(c.minute, 2) + Self.pad(c.second, 2) + "Z"
    }

    /// The date stamp `YYYYMMDD` used in the credential scope and the signing key.
    public var dateStamp: String {
        let c = civil
        return Self.pad(c.year, 4) + Self.pad(c.month, 2) + Self.pad(c.day, 2)
    }

    // MARK: - Civil calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms)

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Days since 1970-01-01 of a civil date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
