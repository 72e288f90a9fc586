import NIOCore
import Testing
import WIBLFormat
import WIBLTestSupport

/// Packet counts of the real logger files, as listed in `testdata/wibl/README.md`.
let expectedCounts: [String: [String: Int]] = [
    "test-algo-dedup.wibl": [
        "AlgorithmRequest": 1, "Depth": 137, "GNSS": 181, "Metadata": 1, "N0183:DBT": 142, "N0183:GGA": 181,
        "N0183:ZDA": 181, "SerialiserVersion": 1, "SystemTime": 181,
    ],
    "test-bin-algo-nodatafilter.wibl": [
        "AlgorithmRequest": 1, "Depth": 124, "GNSS": 181, "Metadata": 1, "N0183:DBT": 124, "N0183:GGA": 181,
        "N0183:ZDA": 181, "SerialiserVersion": 1, "SystemTime": 181,
    ],
    "test-algo-unknown.wibl": [
        "AlgorithmRequest": 1, "Depth": 137, "GNSS": 181, "Metadata": 1, "N0183:DBT": 142, "N0183:GGA": 181,
        "N0183:ZDA": 181, "SerialiserVersion": 1, "SystemTime": 181,
    ],
    "test-algo-nodatafilter.wibl": [
        "AlgorithmRequest": 1, "Depth": 123, "GNSS": 181, "Metadata": 1, "N0183:DBT": 123, "N0183:GGA": 181,
        "N0183:ZDA": 181, "SerialiserVersion": 1, "SystemTime": 181,
    ],
    "synth-n2k-1mb.wibl": ["Depth": 4699, "GNSS": 7001, "Metadata": 1, "SerialiserVersion": 1, "SystemTime": 7001],
    "synth-n0183-1mb.wibl": [
        "Metadata": 1, "N0183:DBT": 4003, "N0183:GGA": 6001, "N0183:ZDA": 6001, "SerialiserVersion": 1,
    ],
    "synth-meta-1mb.wibl": [
        "Depth": 2142, "GNSS": 3201, "JSONMetadata": 1, "Metadata": 1, "N0183:DBT": 2142, "N0183:GGA": 3201,
        "N0183:ZDA": 3201, "SerialiserVersion": 1, "SystemTime": 3201,
    ],
    "synth-v1_0.wibl": ["Depth": 397, "GNSS": 601, "Metadata": 1, "SerialiserVersion": 1, "SystemTime": 601],
]

func census(_ file: WIBLFile) -> [String: Int] {
    var counts: [String: Int] = [:]
    for packet in file.packets {
        if case .serialString(let s) = packet {
            let name = String(decoding: s.data.readableBytesView.dropFirst(3).prefix(3), as: UTF8.self)
            counts["N0183:" + name, default: 0] += 1
        } else {
            counts[packet.type.name, default: 0] += 1
        }
    }
    return counts
}

@Suite struct RealFileTests {
    @Test(arguments: expectedCounts.keys.sorted())
    func decodesWithTheListedPacketCounts(_ name: String) throws {
        let file = try WIBLFile.decode(
            ByteBuffer(bytes: try Fixtures.bytes("wibl/" + name)), options: .init(isStrict: true))
        #expect(file.problems.isEmpty)
        #expect(census(file) == expectedCounts[name])
    }

    @Test func everyTestdataFileIsListed() {
        #expect(Set(Fixtures.files(in: "wibl", suffix: ".wibl")) == Set(expectedCounts.keys))
    }

    /// `wibl-format.md` §9: the first bytes of test-algo-dedup.wibl.
    @Test func workedExampleOfTheSpec() throws {
        var reader = PacketReader(ByteBuffer(bytes: try Fixtures.bytes("wibl/test-algo-dedup.wibl")))
        let version = try #require(try reader.next())
        #expect(
            version.packet
                == .serialiserVersion(
                    SerialiserVersion(
                        major: 1, minor: 3, nmea2000: .init(1, 0, 0), nmea0183: .init(1, 0, 0), imu: .init(1, 0, 0))))
        let metadata = try #require(try reader.next())
        #expect(metadata.offset == 30)
        #expect(metadata.packet == .metadata(Metadata(loggerName: "Gulf Surveyor", shipName: "WIBL-Simulator")))
        let time = try #require(try reader.next())
        #expect(time.offset == 73)
        #expect(time.packet == .systemTime(SystemTime(date: 18262, timestamp: 0, elapsed: 0, source: 0)))
        let zda = try #require(try reader.next())
        #expect(zda.offset == 96)
        guard case .serialString(let sentence) = zda.packet else {
            Issue.record("expected a sentence")
            return
        }
        #expect(String(buffer: sentence.data) == "$GPZDA,000000.000,01,01,2020,00,00*56\r\n")
        let gnss = try #require(try reader.next())
        #expect(gnss.offset == 147)
        guard case .gnss(let fix) = gnss.packet else {
            Issue.record("expected GNSS")
            return
        }
        #expect(fix.latitude == 43.0000032708)
        #expect(fix.longitude == -74.9999967292)
        #expect(fix.refStationID == 12312 && fix.numSVs == 12 && fix.correctionAge == 2.32)
        let gga = try #require(try reader.next())  // §9 leaves out the GGA sentence at 242
        #expect(gga.offset == 242 && gga.packet.type == .serialString)
        let depth = try #require(try reader.next())
        #expect(depth.offset == 338)
        guard case .depth(let d) = depth.packet else {
            Issue.record("expected Depth")
            return
        }
        #expect(d.depth == 9.997224775971388 && d.range == 200)
        let dbt = try #require(try reader.next())  // and the DBT sentence at 384
        #expect(dbt.offset == 384 && dbt.packet.type == .serialString)
        let time2 = try #require(try reader.next())  // and the SystemTime at 426
        #expect(time2.offset == 426 && time2.packet.elapsed == 1000)
        let next = try #require(try reader.next())
        #expect(next.offset == 449 && next.packet.elapsed == 1000)
    }

    /// The 1.0 test file has a 22-byte version payload: the layout follows the version number.
    @Test func version10WithA22BytePayload() throws {
        let file = try WIBLFile.decode(ByteBuffer(bytes: try Fixtures.bytes("wibl/synth-v1_0.wibl")))
        #expect(
            file.packets.first
                == .serialiserVersion(
                    SerialiserVersion(major: 1, minor: 0, nmea2000: .init(1, 0, 0), nmea0183: .init(1, 0, 0))))
    }
}
