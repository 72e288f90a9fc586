import NIOCore
import Testing
import WIBLFormat

/// One packet of every type, with values that exercise every field.
func samplePackets(version: SerialiserVersion) -> [Packet] {
    let t = TimeDatum(date: 18262, timestamp: 3661.25, elapsed: 123_456)
    return [
        .serialiserVersion(version),
        .metadata(Metadata(loggerName: "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", shipName: "Ægir ⛵")),
        .systemTime(SystemTime(date: 18262, timestamp: 12.5, elapsed: 1, source: 3)),
        .attitude(Attitude(time: t, yaw: 0.1, pitch: -0.2, roll: 0.3)),
        .depth(Depth(time: t, depth: 12.34, offset: -0.5, range: 200)),
        .cog(COG(time: t, courseOverGround: 1.5, speedOverGround: 4.25)),
        .gnss(
            GNSS(
                time: t, msgDate: 18263, msgTimestamp: 86399.999, latitude: -43.5, longitude: 170.25, altitude: -19.323,
                receiverType: 8, receiverMethod: 4, numSVs: 12, horizontalDOP: 1.5, positionDOP: 2.2,
                separation: 22.3453, numRefStations: 1, refStationType: 4, refStationID: 12312, correctionAge: 2.32)),
        .environment(
            Environment(time: t, tempSource: 0, temperature: 283.15, humiditySource: 1, humidity: 55, pressure: 101_325)
        ),
        .temperature(ScalarObservation(time: t, source: 0, value: 285.5)),
        .humidity(ScalarObservation(time: t, source: 1, value: 80)),
        .pressure(ScalarObservation(time: t, source: 0, value: 99_000)),
        .serialString(SerialString(elapsed: 77, data: ByteBuffer(string: NMEA0183Checksum.sentence("GPHDT,123.4,T")))),
        .serialString(SerialString(elapsed: 78, data: ByteBuffer())),
        .motion(Motion(elapsed: 9, ax: 0.5, ay: -0.25, az: 9.81, gx: 0.01, gy: 0.02, gz: -0.03, temperature: 25.5)),
        .algorithmRequest(AlgorithmRequest(name: "nodatareject", parameters: "phase=raw")),
        .jsonMetadata(TextPayload(#"{"properties": {"platform": {"length": 12}}}"#)),
        .nmea0183Filter(TextPayload("GGA")),
        .sensorScales(TextPayload(#"{"imu": {"recipAccelScale": 8191.75}}"#)),
        .rawIMU(RawIMU(elapsed: 10, temperature: -300, gx: 1, gy: -2, gz: 3, ax: -32768, ay: 32767, az: 0)),
        .setup(TextPayload(#"{"uniqueID":"TNODEID","shipname":"Anonymous"}"#)),
    ]
}

let versions: [SerialiserVersion] = [
    SerialiserVersion(major: 1, minor: 0, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1)),
    SerialiserVersion(major: 1, minor: 1, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1)),
    SerialiserVersion(major: 1, minor: 2, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1)),
    SerialiserVersion(major: 1, minor: 3, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1), imu: .init(1, 0, 0)),
]

@Suite struct RoundTripTests {
    @Test(arguments: versions)
    func everyPacketTypeRoundTrips(_ version: SerialiserVersion) throws {
        let packets = samplePackets(version: version)
        let file = try WIBLFile.decode(WIBLEncoder.encode(packets), options: .init(isStrict: true))
        #expect(file.packets == packets)
        #expect(Set(packets.map(\.type)) == Set(PacketType.allCases).subtracting([.rawGNSS]))
    }

    @Test func versionPayloadIs16BytesBelow13And22From13() {
        #expect(WIBLEncoder.encode([.serialiserVersion(versions[2])]).readableBytes == 8 + 16)
        #expect(WIBLEncoder.encode([.serialiserVersion(versions[3])]).readableBytes == 8 + 22)
    }

    @Test func stringLengthsCountUTF8Bytes() {
        let buffer = WIBLEncoder.encode([.metadata(Metadata(loggerName: "é", shipName: ""))])
        #expect(buffer.getInteger(at: 8, endianness: .little, as: UInt32.self) == 2)
    }

    @Test func rawGNSSRoundTripsInA14File() throws {
        let v14 = SerialiserVersion(major: 1, minor: 4, imu: .init(1, 0, 0))
        let packets: [Packet] = [.serialiserVersion(v14), .rawGNSS(ByteBuffer(repeating: 0xB5, count: 1024))]
        #expect(try WIBLFile.decode(WIBLEncoder.encode(packets), options: .init(isStrict: true)).packets == packets)
    }

    @Test func checksumOfTheSpecExample() {
        #expect(
            NMEA0183Checksum.sentence("GPZDA,000000.000,01,01,2020,00,00")
                == "$GPZDA,000000.000,01,01,2020,00,00*56\r\n")
    }
}
