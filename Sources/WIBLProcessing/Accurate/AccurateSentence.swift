import WIBLFormat

/// What one NMEA0183 sentence gives accurate mode: besides what the reference reads
/// (`processing.md` §8), the talker, the validity of fixes and DPT's offset.
struct AccurateSentence {
    /// What the sentence carries.
    enum Value {
        case time(AccurateTimeSource, microseconds: Int64)
        case position(latitude: Double, longitude: Double)
        /// A GGA with fix quality 0 (or 6–8: estimated, manual, simulated), a GLL with status `V`
        /// or mode `N`.
        case voidFix
        case depth(DepthSourceKind, metres: Double, offset: Double?)
        case heading(Double)
        case temperature(Double)
        case wind(direction: Double, speed: Double)
        case nothing
        case fault(FaultKind)
    }

    /// Bytes 3…5 (the name used in statistics).
    var name: String
    /// The two characters after `$` (upper-cased), e.g. `GP`, `SD`, `II`.
    var talker: String
    var value: Value

    static func read(_ text: UnsafeRawBufferPointer) -> AccurateSentence {
        let name = String(
            decoding: UnsafeRawBufferPointer(rebasing: text[min(3, text.count)..<min(6, text.count)]), as: UTF8.self)
        let dollar = text.firstIndex(of: UInt8(ascii: "$")) ?? 0
        let talkerStart = text.count > dollar && text[dollar] == UInt8(ascii: "$") ? dollar + 1 : dollar
        let talker = String(
            decoding: UnsafeRawBufferPointer(
                rebasing: text[min(talkerStart, text.count)..<min(talkerStart + 2, text.count)]),
            as: UTF8.self
        ).uppercased()
        return AccurateSentence(name: name, talker: talker, value: value(text))
    }

    private static func value(_ text: UnsafeRawBufferPointer) -> Value {
        if text.contains(where: { $0 >= 0x80 }), String(validating: text, as: UTF8.self) == nil {
            return .fault(.decode)
        }
        let frame: NMEA0183Frame
        do {
            frame = try NMEA0183Frame.parse(text)
        } catch {
            if case .badChecksum = error { return .fault(.checksum) }
            return .fault(.parse)
        }
        guard frame.kind == .ordinary else { return .nothing }
        func field(_ index: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: text[frame.field(index, in: text)])
        }
        func observe(_ timeType: UInt32?) -> NMEA0183Observation? {
            try? NMEA0183.observe(frame, in: text, timeType: timeType)
        }
        switch frame.typeCode {
        case NMEA0183.zda, NMEA0183.rmc:
            let isZDA = frame.typeCode == NMEA0183.zda
            guard let observation = observe(frame.typeCode) else { return .fault(.type) }
            guard case .time(let micro) = observation else { return .nothing }
            return .time(isZDA ? .zda : .rmc, microseconds: micro)
        case NMEA0183.gga:
            let quality = field(5)
            guard quality.count == 1, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(quality[0]) else {
                return .voidFix
            }
        case NMEA0183.gll:
            let status = field(5)
            let mode = field(6)
            if status.first == UInt8(ascii: "V") || mode.first == UInt8(ascii: "N") { return .voidFix }
        default:
            break
        }
        guard let observation = observe(nil) else { return .fault(.type) }
        switch observation {
        case .position(let lat, let lon):
            return .position(latitude: lat, longitude: lon)
        case .depth(let z):
            if frame.typeCode == NMEA0183.dpt {
                return .depth(.dpt, metres: z, offset: NMEA0183.parseDecimal(field(1)))
            }
            return .depth(.dbt, metres: z, offset: nil)
        case .heading(let h):
            return .heading(h)
        case .waterTemperature(let t):
            return .temperature(t)
        case .wind(let direction, let speed):
            return .wind(direction: direction, speed: speed)
        case .time, .nothing:
            return .nothing
        }
    }
}
