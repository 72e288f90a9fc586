import Testing
import WIBLFormat

func frame(_ text: String) throws -> NMEA0183Frame {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in try NMEA0183Frame.parse(raw) }
}

func observe(_ text: String, time: UInt32? = nil) throws -> NMEA0183Observation {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
        try NMEA0183.observe(try NMEA0183Frame.parse(raw), in: raw, timeType: time)
    }
}

@Suite struct NMEA0183Tests {
    @Test func specExampleGGA() throws {
        let position = try observe(
            "$GPGGA,000001.000,4300.000007,N,07400.999993,W,3,12,1.0,-19.5,M,22.5,M,0.0,0000*7D\r\n")
        #expect(position == .position(latitude: 43 + 0.000007 / 60, longitude: -(74 + 0.999993 / 60)))
    }

    @Test func hemispheresGiveSigns() throws {
        #expect(
            try observe(NMEA0183Checksum.sentence("GPGLL,4330.0,S,17015.0,E,000000,A"))
                == .position(latitude: -43.5, longitude: 170.25))
        #expect(try observe("GPGLL,0,N,0,E") == .position(latitude: 0, longitude: 0), "no $, no checksum, '0' fields")
    }

    @Test func checksumIsVerifiedInEitherCase() throws {
        _ = try frame("$GPZDA,000000.000,01,01,2020,00,00*56")
        _ = try frame("$gpzda,000000.000,01,01,2020,00,00*76")
        #expect(throws: NMEA0183Error.badChecksum(expected: 0x56, found: 0x57)) {
            try frame("$GPZDA,000000.000,01,01,2020,00,00*57")
        }
    }

    @Test(arguments: ["", "$", "$GP", "$GPGGA", "GPGGA*00", "$GPGGA,1*5", "$GPGGA,1*00 x", "$GP-GA,1", "$GPGGA,1**00"])
    func garbageIsBadFraming(_ text: String) {
        #expect(throws: NMEA0183Error.self) { try frame(text) }
    }

    @Test func proprietaryAndQuerySentencesAreFramedAndIgnored() throws {
        #expect(try frame("$PGRME,15.0,M,45.0,M,25.0,M").kind == .proprietary)
        #expect(try observe("$CCGPQ,GGA") == .nothing)
        #expect(try observe("$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K") == .nothing)
    }

    @Test func zdaTimeAndDate() throws {
        let zda = NMEA0183.zda
        #expect(
            try observe("$GPZDA,000001.994,01,01,2020,00,00", time: zda) == .time(microseconds: 1_577_836_801_994_000))
        #expect(try observe("$GPZDA,,01,01,2020,00,00", time: zda) == .nothing, "empty time is skipped silently")
        #expect(throws: NMEA0183Error.self) { try observe("$GPZDA,000000,,01,2020,00,00", time: zda) }
        // P2: there is no 30 February.
        #expect(throws: NMEA0183Error.self) { try observe("$GPZDA,000000,30,02,2020,00,00", time: zda) }
        #expect(throws: NMEA0183Error.self) { try observe("$GPZDA,250000,01,01,2020,00,00", time: zda) }
        #expect(
            try observe("$GPZDA,000000.9999999,01,01,2020", time: zda) == .time(microseconds: 1_577_836_800_999_999))
        #expect(try observe("$GPZDA,000000,01,01,2020") == .nothing, "ZDA is only read when it is the time source")
    }

    @Test func rmcTwoDigitYears() throws {
        #expect(
            try observe("$GPRMC,120000,A,4300.0,N,07000.0,W,0,0,010169,,", time: NMEA0183.rmc)
                == .time(microseconds: (-365 * 86_400 + 12 * 3600) * 1_000_000))
        #expect(try observe("$GPRMC,120000,A,,,,,,,,", time: NMEA0183.rmc) == .nothing)
        #expect(throws: NMEA0183Error.self) { try observe("$GPRMC,120000,A,,,,,,,321399,,", time: NMEA0183.rmc) }
    }

    @Test func depthsHeadingTemperatureWind() throws {
        #expect(try observe("$SDDBT,32.6,f,9.9,M,5.4,F*30") == .depth(9.9))
        #expect(try observe("$SDDBT,32.6,f,,M,5.4,F") == .nothing, "no fallback to feet")
        #expect(try observe("$SDDPT,12.25,0.5") == .depth(12.25), "the offset is not applied")
        #expect(try observe("$HEHDT,123.4,T") == .heading(123.4))
        #expect(try observe("$YXMTW,12.5,C") == .waterTemperature(12.5))
        #expect(try observe("$WIMWD,270,T,265,M,10,N,5.1,M") == .wind(direction: 270, speed: 5.1))
        #expect(try observe("$WIMWD,270,T,265,M,10,N,,M") == .nothing)
    }

    @Test(arguments: ["nan", "NaN", "inf", "-Infinity", "1e999", "0x10", "1.2.3", "--1", "e5"])
    func p4NonNumbersAreFieldFaults(_ text: String) {
        #expect(throws: NMEA0183Error.self) { try observe("$SDDPT,\(text)") }
    }

    @Test func decimalsAreCorrectlyRounded() throws {
        #expect(try observe("$SDDPT, 0.1 ") == .depth(0.1))
        #expect(try observe("$SDDPT,-1E2") == .depth(-100))
        #expect(try observe("$SDDPT,.5") == .depth(0.5))
    }
}
