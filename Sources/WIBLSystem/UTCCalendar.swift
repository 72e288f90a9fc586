/// The proleptic Gregorian calendar in UTC: the one calendar of the project (GeoJSON times, the
/// simulator, SigV4 timestamps, Lambda log lines).
///
/// Day numbers count days since 1970-01-01 (negative before). The conversions are H. Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms, exact for every representable day.
public enum UTCCalendar {
    /// The broken-down UTC time of an instant.
    public struct Fields: Sendable, Hashable {
        /// The year (proleptic Gregorian; may be 0 or negative).
        public var year: Int64
        /// 1…12.
        public var month: Int64
        /// 1…31.
        public var day: Int64
        /// 0…23.
        public var hour: Int64
        /// 0…59.
        public var minute: Int64
        /// 0…59.
        public var second: Int64

        /// Creates the fields.
        public init(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
        }
    }

    /// Division rounding toward minus infinity.
    @inline(__always)
    public static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The civil date of a day number.
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day number of a civil date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The UTC fields of whole seconds since 1970-01-01T00:00:00Z.
    public static func fields(secondsSince1970 seconds: Int64) -> Fields {
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(days: days)
        return Fields(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60)
    }

    /// The number of days in a month of a year (28…31).
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `value` in decimal, zero-padded on the left to `width` digits.
    public static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
