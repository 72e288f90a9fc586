/// What one NMEA0183 sentence contributes to the processing (`processing.md` §8.4).
public enum NMEA0183Observation: Sendable, Hashable {
    /// A real time from ZDA or RMC: whole microseconds since 1970-01-01T00:00:00Z.
    case time(microseconds: Int64)
    /// A position from GGA or GLL, degrees.
    case position(latitude: Double, longitude: Double)
    /// A depth from DBT (metres field) or DPT, metres.
    case depth(Double)
    /// A heading from HDT, degrees.
    case heading(Double)
    /// A water temperature from MTW, as sent (°C).
    case waterTemperature(Double)
    /// Wind from MWD: direction true (degrees), speed (m/s).
    case wind(direction: Double, speed: Double)
    /// Nothing: a type WIBL does not use, or a needed field is empty ("skipped silently").
    case nothing
}

/// Decoding of the sentence types WIBL uses, with the field rules of `processing.md` §8.3–§8.4
/// and the required deviations P2–P4.
public enum NMEA0183 {
    /// Type code of `ZDA` (time and date).
    public static let zda = NMEA0183Frame.typeCode("ZDA")
    /// Type code of `RMC` (recommended minimum: time, position).
    public static let rmc = NMEA0183Frame.typeCode("RMC")
    /// Type code of `GGA` (GNSS fix).
    public static let gga = NMEA0183Frame.typeCode("GGA")
    /// Type code of `GLL` (geographic position).
    public static let gll = NMEA0183Frame.typeCode("GLL")
    /// Type code of `DBT` (depth below transducer).
    public static let dbt = NMEA0183Frame.typeCode("DBT")
    /// Type code of `DPT` (depth).
    public static let dpt = NMEA0183Frame.typeCode("DPT")
    /// Type code of `HDT` (heading, true).
    public static let hdt = NMEA0183Frame.typeCode("HDT")
    /// Type code of `MWD` (wind direction and speed).
    public static let mwd = NMEA0183Frame.typeCode("MWD")
    /// Type code of `MTW` (water temperature).
    public static let mtw = NMEA0183Frame.typeCode("MTW")

    /// Decodes a framed sentence.
    ///
    /// - Parameters:
    ///   - frame: The framing from ``NMEA0183Frame/parse(_:)``.
    ///   - text: The sentence bytes.
    ///   - timeType: The time-source sentence type (``zda`` or ``rmc``), or `nil`: ZDA and RMC are
    ///     only decoded when they are the time source (their fields are not looked at otherwise).
    /// - Throws: ``NMEA0183Error/badField(name:text:)`` for a field that cannot be converted.
    public static func observe(
        _ frame: NMEA0183Frame, in text: UnsafeRawBufferPointer, timeType: UInt32?
    ) throws(NMEA0183Error) -> NMEA0183Observation {
        guard frame.kind == .ordinary else { return .nothing }
        // Fields are found with one forward cursor; they are checked in the order of §8.4.
        var fields = NMEA0183FieldCursor(text: text, frame: frame)
        switch frame.typeCode {
        case zda where timeType == zda:
            let timeField = fields.bytes(0)
            let dayField = fields.bytes(1)
            let monthField = fields.bytes(2)
            let yearField = fields.bytes(3)
            // The date is checked first (§8.4): empty or invalid → field fault.
            let day = try integer(dayField, "day")
            let month = try integer(monthField, "month")
            let year = try integer(yearField, "year")
            guard let days = daysFromCivil(year: year, month: month, day: day) else {
                throw .badField(name: "date", text: "\(day)/\(month)/\(year)")
            }
            guard let time = try timeOfDay(timeField) else { return .nothing }
            return .time(microseconds: days * 86_400_000_000 + time)
        case rmc where timeType == rmc:
            let timeField = fields.bytes(0)
            let dateField = fields.bytes(8)
            guard !timeField.isEmpty, !dateField.isEmpty else { return .nothing }
            guard let time = try timeOfDay(timeField) else { return .nothing }
            guard dateField.count == 6, let dd = twoDigits(dateField, 0), let mm = twoDigits(dateField, 2),
                let yy = twoDigits(dateField, 4),
                let days = daysFromCivil(year: yy >= 69 ? 1900 + yy : 2000 + yy, month: mm, day: dd)
            else { throw .badField(name: "date", text: string(dateField)) }
            return .time(microseconds: days * 86_400_000_000 + time)
        case gga:
            return try position(fields.bytes(1), fields.bytes(2), fields.bytes(3), fields.bytes(4))
        case gll:
            return try position(fields.bytes(0), fields.bytes(1), fields.bytes(2), fields.bytes(3))
        case dbt:
            return try decimal(fields.bytes(2), "depth").map(NMEA0183Observation.depth) ?? .nothing
        case dpt:
            return try decimal(fields.bytes(0), "depth").map(NMEA0183Observation.depth) ?? .nothing
        case hdt:
            return try decimal(fields.bytes(0), "heading").map(NMEA0183Observation.heading) ?? .nothing
        case mtw:
            return try decimal(fields.bytes(0), "temperature").map(NMEA0183Observation.waterTemperature) ?? .nothing
        case mwd:
            let directionField = fields.bytes(0)
            let speedField = fields.bytes(6)
            guard let direction = try decimal(directionField, "direction"), let speed = try decimal(speedField, "speed")
            else {
                return .nothing
            }
            return .wind(direction: direction, speed: speed)
        default:
            return .nothing
        }
    }

    // MARK: Field conversions (processing.md §8.3)

    private static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A GGA/GLL position; P3: empty coordinates or a hemisphere other than N/S, E/W are faults.
    private static func position(
        _ lat: UnsafeRawBufferPointer, _ ns: UnsafeRawBufferPointer, _ lon: UnsafeRawBufferPointer,
        _ ew: UnsafeRawBufferPointer
    ) throws(NMEA0183Error) -> NMEA0183Observation {
        let latitude = try coordinate(lat, "latitude")
        let longitude = try coordinate(lon, "longitude")
        guard ns.count == 1, ns[0] == UInt8(ascii: "N") || ns[0] == UInt8(ascii: "S") else {
            throw .badField(name: "latitude hemisphere", text: string(ns))
        }
        guard ew.count == 1, ew[0] == UInt8(ascii: "E") || ew[0] == UInt8(ascii: "W") else {
            throw .badField(name: "longitude hemisphere", text: string(ew))
        }
        return .position(
            latitude: ns[0] == UInt8(ascii: "S") ? -latitude : latitude,
            longitude: ew[0] == UInt8(ascii: "W") ? -longitude : longitude)
    }

    /// `DDDMM.MMMM`: `0` is 0.0; otherwise `^(\d+)(\d\d\.\d+)$` → `double(g1) + double(g2) / 60`.
    static func coordinate(_ field: UnsafeRawBufferPointer, _ name: String) throws(NMEA0183Error) -> Double {
        guard !field.isEmpty else { throw .badField(name: name, text: "") }
        if field.count == 1, field[0] == UInt8(ascii: "0") { return 0.0 }
        guard let point = field.firstIndex(of: UInt8(ascii: ".")), point >= 3, point + 1 < field.count,
            field[..<point].allSatisfy(isDigit), field[(point + 1)...].allSatisfy(isDigit)
        else { throw .badField(name: name, text: string(field)) }
        let split = point - 2
        guard let degrees = floatLiteral(UnsafeRawBufferPointer(rebasing: field[..<split])),
            let minutes = floatLiteral(UnsafeRawBufferPointer(rebasing: field[split...]))
        else { throw .badField(name: name, text: string(field)) }
        return degrees + minutes / 60
    }

    /// A decimal number as Python's `float` reads it, but only finite plain decimals (P4);
    /// `nil` for an empty field.
    static func decimal(_ field: UnsafeRawBufferPointer, _ name: String) throws(NMEA0183Error) -> Double? {
        guard !field.isEmpty else { return nil }
        guard let value = parseDecimal(field) else { throw .badField(name: name, text: string(field)) }
        return value
    }

    /// `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?` with surrounding whitespace, correctly rounded; `nil`
    /// for anything else, including NaN and infinities and values that overflow.
    public static func parseDecimal(_ field: UnsafeRawBufferPointer) -> Double? {
        guard let value = floatLiteral(field), value.isFinite else { return nil }
        return value
    }

    /// Exact powers of ten (10^22 is the largest power of ten a double holds exactly).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The syntax of ``parseDecimal(_:)`` and the value the standard library's `Double(_:)` gives
    /// for it (infinite when it overflows); `nil` for anything else.
    ///
    /// No string is created for the common case: when every significant digit fits in a 64-bit
    /// mantissa of at most 2^53 and the power of ten is at most 10^22 in magnitude, both operands
    /// are exact doubles and one IEEE multiplication or division gives the correctly rounded
    /// result (Clinger's fast path), which is what the correctly rounded `Double(_:)` returns.
    /// Everything else goes through `Double(_:)`.
    static func floatLiteral(_ field: UnsafeRawBufferPointer) -> Double? {
        var start = 0
        var end = field.count
        while start < end, isSpace(field[start]) { start += 1 }
        while end > start, isSpace(field[end - 1]) { end -= 1 }
        var i = start
        var isNegative = false
        if i < end, field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-") {
            isNegative = field[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits = 0
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var isExact = true
        while i < end, isDigit(field[i]) {
            let d = UInt64(field[i] &- 0x30)
            if mantissa == 0 && d == 0 {
                // a leading zero
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ d
                significant += 1
            } else {
                isExact = false
            }
            i += 1
            digits += 1
        }
        if i < end, field[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, isDigit(field[i]) {
                let d = UInt64(field[i] &- 0x30)
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ d
                    significant += 1
                    exponent -= 1
                } else {
                    isExact = false
                }
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < end, field[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentIsNegative = false
            if i < end, field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-") {
                exponentIsNegative = field[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponentDigits = 0
            var stated = 0
            while i < end, isDigit(field[i]) {
                if stated < 100_000 { stated = stated * 10 + Int(field[i] &- 0x30) }
                i += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentIsNegative ? -stated : stated
        }
        guard i == end else { return nil }
        if mantissa == 0 { return isNegative ? -0.0 : 0.0 }
        if isExact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let value =
                exponent >= 0
                ? Double(mantissa) * powersOfTen[exponent] : Double(mantissa) / powersOfTen[-exponent]
            return isNegative ? -value : value
        }
        return Double(string(UnsafeRawBufferPointer(rebasing: field[start..<end])))
    }

    /// Python `int()` of an ASCII field: optional whitespace and sign, at least one digit.
    static func pythonInt(_ field: UnsafeRawBufferPointer) -> Int64? {
        var start = 0
        var end = field.count
        while start < end, isSpace(field[start]) { start += 1 }
        while end > start, isSpace(field[end - 1]) { end -= 1 }
        var negative = false
        if start < end, field[start] == UInt8(ascii: "+") || field[start] == UInt8(ascii: "-") {
            negative = field[start] == UInt8(ascii: "-")
            start += 1
        }
        guard start < end, end - start <= 18 else { return nil }
        var value: Int64 = 0
        for k in start..<end {
            guard isDigit(field[k]) else { return nil }
            value = value * 10 + Int64(field[k] - 0x30)
        }
        return negative ? -value : value
    }

    private static func integer(_ field: UnsafeRawBufferPointer, _ name: String) throws(NMEA0183Error) -> Int64 {
        guard let value = pythonInt(field) else { throw .badField(name: name, text: string(field)) }
        return value
    }

    private static func twoDigits(_ field: UnsafeRawBufferPointer, _ at: Int) -> Int64? {
        guard isDigit(field[at]), isDigit(field[at + 1]) else { return nil }
        return Int64(field[at] - 0x30) * 10 + Int64(field[at + 1] - 0x30)
    }

    /// `hhmmss[.sss…]` → microseconds since midnight; `nil` for an empty field (§8.3).
    static func timeOfDay(_ field: UnsafeRawBufferPointer) throws(NMEA0183Error) -> Int64? {
        guard !field.isEmpty else { return nil }
        var bad: NMEA0183Error { .badField(name: "time", text: string(field)) }
        func part(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: field[min(from, field.count)..<min(to, field.count)])
        }
        guard let hour = pythonInt(part(0, 2)), let minute = pythonInt(part(2, 4)), let second = pythonInt(part(4, 6)),
            (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second)
        else { throw bad }
        var micro: Int64 = 0
        let rest = part(6, field.count)
        if !rest.isEmpty {
            guard let fraction = parseDecimal(rest) else { throw bad }
            let scaled = (fraction * 1_000_000).rounded(.towardZero)
            guard scaled >= 0, scaled < 1_000_000 else { throw bad }
            micro = Int64(scaled)
        }
        return ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date, or `nil` when the date does not exist or
    /// its year is outside 1…9999 (Python's `datetime.date` range).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length: Int64 =
            switch month {
            case 2: isLeap ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        guard day <= length else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
