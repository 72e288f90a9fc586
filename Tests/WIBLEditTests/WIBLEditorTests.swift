import NIOCore
import Testing
import WIBLFormat

@testable import WIBLEdit

/// The packets a file of `version` may hold: one of every type that version knows (`wibl-format.md` §3, §5).
func everyPacket(_ version: SerialiserVersion) -> [Packet] {
    let t = TimeDatum(date: 18262, timestamp: 3661.25, elapsed: 123_456)
    var packets: [Packet] = [
        .serialiserVersion(version),
        .metadata(Metadata(loggerName: "Gulf Surveyor", shipName: "Ægir ⛵")),
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
        .motion(Motion(elapsed: 9, ax: 0.5, ay: -0.25, az: 9.81, gx: 0.01, gy: 0.02, gz: -0.03, temperature: 25.5)),
        .algorithmRequest(AlgorithmRequest(name: "nodatareject", parameters: "phase=raw")),
        .jsonMetadata(TextPayload(#"{"properties": {"platform": {"length": 12}}}"#)),
        .algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: "")),
    ]
    if version.ordinal >= 1001 { packets.append(.nmea0183Filter(TextPayload("GGA"))) }
    if version.ordinal >= 1002 {
        packets.append(.sensorScales(TextPayload(#"{"imu": {"recipAccelScale": 8191.75}}"#)))
        packets.append(
            .rawIMU(RawIMU(elapsed: 10, temperature: -300, gx: 1, gy: -2, gz: 3, ax: -32768, ay: 32767, az: 0)))
    }
    if version.ordinal >= 1003 {
        packets.append(.setup(TextPayload(#"{"uniqueID":"TNODEID","shipname":"Anonymous"}"#)))
    }
    return packets
}

let allVersions: [SerialiserVersion] = [
    SerialiserVersion(major: 1, minor: 0, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1)),
    SerialiserVersion(major: 1, minor: 1, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1)),
    SerialiserVersion(major: 1, minor: 2, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1)),
    SerialiserVersion(major: 1, minor: 3, nmea2000: .init(1, 1, 0), nmea0183: .init(1, 0, 1), imu: .init(1, 0, 0)),
]

/// Raw packets (header + payload) of a buffer, by framing alone.
func rawPackets(_ bytes: ByteBuffer) -> [[UInt8]] {
    RawFrames(bytes).packets.map { Array(bytes.readableBytesView.dropFirst($0.offset).prefix($0.length)) }
}

@Suite struct WIBLEditorTests {
    @Test(arguments: allVersions)
    func everyPacketTypeSurvivesAnEditByteForByte(_ version: SerialiserVersion) throws {
        let original = WIBLEncoder.encode(everyPacket(version))
        var request = WIBLEditRequest()
        request.loggerID = "0c2c3f58-24a4-448f-a538-ccca22993ed7"
        request.addAlgorithms = [AlgorithmRequest(name: "deduplicate", parameters: "x=1")]
        let result = try WIBLEditor.apply(request, to: original)
        let before = rawPackets(original)
        let after = rawPackets(result.bytes)
        #expect(after.count == before.count + 1)
        for i in before.indices where i != 1 {
            #expect(after[i] == before[i], "packet \(i) untouched")
        }
        let decoded = try WIBLFile.decode(result.bytes, options: .init(isStrict: true)).packets
        #expect(
            decoded[1] == .metadata(Metadata(loggerName: "0c2c3f58-24a4-448f-a538-ccca22993ed7", shipName: "Ægir ⛵")))
        #expect(decoded.last == .algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: "x=1")))
        #expect(Array(decoded.dropLast()).count == everyPacket(version).count)
        #expect(result.changes.first?.contains("logger id 'Gulf Surveyor' → '0c2c3f58") == true)
    }

    @Test(arguments: allVersions, allVersions)
    func versionChangesKeepEverythingTheTargetCanHold(_ from: SerialiserVersion, _ to: SerialiserVersion) throws {
        let original = WIBLEncoder.encode(everyPacket(from))
        var request = WIBLEditRequest()
        request.version = (to.major, to.minor)
        let types = Set(everyPacket(from).map(\.type.rawValue))
        let fits = types.allSatisfy { (WIBLEditor.sinceVersion[$0] ?? 1000) <= to.ordinal }
        if !fits {
            #expect(throws: WIBLEditError.self) { try WIBLEditor.apply(request, to: original) }
            return
        }
        let result = try WIBLEditor.apply(request, to: original)
        let decoded = try WIBLFile.decode(result.bytes, options: .init(isStrict: true))
        guard case .serialiserVersion(let v) = decoded.packets[0] else {
            Issue.record("no version packet")
            return
        }
        #expect(
            v.major == to.major && v.minor == to.minor && v.nmea2000 == from.nmea2000 && v.nmea0183 == from.nmea0183)
        #expect(
            result.bytes.getInteger(at: 4, endianness: .little, as: UInt32.self) == (to.ordinal >= 1003 ? 22 : 16))
        #expect(Array(rawPackets(result.bytes).dropFirst()) == Array(rawPackets(original).dropFirst()))
        #expect(result.changes.count == (from == to ? 0 : 1) || from.ordinal == to.ordinal)
    }

    @Test func damagedAndUnknownPacketsAreKeptAsTheyWere() throws {
        var buffer = WIBLEncoder.encode(Array(everyPacket(allVersions[3]).prefix(5)))
        // An unknown id, and a Depth packet of the wrong length (D1, D4).
        buffer.writeInteger(UInt32(99), endianness: .little)
        buffer.writeInteger(UInt32(3), endianness: .little)
        buffer.writeBytes([1, 2, 3])
        buffer.writeInteger(UInt32(3), endianness: .little)
        buffer.writeInteger(UInt32(5), endianness: .little)
        buffer.writeBytes([9, 9, 9, 9, 9])
        // A Metadata packet whose first string runs past its payload (unreadable: not the one replaced).
        buffer.writeInteger(UInt32(12), endianness: .little)
        buffer.writeInteger(UInt32(8), endianness: .little)
        buffer.writeInteger(UInt32(200), endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)
        var request = WIBLEditRequest()
        request.shipName = "New Name"
        request.jsonMetadata = #"{"properties":{"platform":{"length":20}}}"#
        let result = try WIBLEditor.apply(request, to: buffer)
        let before = rawPackets(buffer)
        let after = rawPackets(result.bytes)
        #expect(after.count == before.count + 1, "JSON metadata appended (the file had none)")
        for i in before.indices where i != 1 { #expect(after[i] == before[i]) }
        let file = try WIBLFile.decode(result.bytes)
        #expect(file.packets.contains(.metadata(Metadata(loggerName: "Gulf Surveyor", shipName: "New Name"))))
        #expect(file.problems.count == 3, "the three damaged packets are still there: \(file.problems)")
    }

    @Test func metadataIsAppendedWithUnknownWhenTheFileHasNone() throws {
        let packets = everyPacket(allVersions[0]).filter { $0.type != .metadata }
        let result = try WIBLEditor.apply(
            {
                var r = WIBLEditRequest()
                r.loggerID = "ABC"
                return r
            }(), to: WIBLEncoder.encode(packets))
        let decoded = try WIBLFile.decode(result.bytes).packets
        #expect(decoded.last == .metadata(Metadata(loggerName: "ABC", shipName: "Unknown")))
        #expect(result.changes == ["Metadata appended: logger id 'ABC', ship name 'Unknown' (the file had none)"])
    }

    @Test func theLastMetadataAndJSONMetadataAreReplacedInPlace() throws {
        var packets = everyPacket(allVersions[3])
        packets.append(.metadata(Metadata(loggerName: "Second", shipName: "Ship 2")))
        packets.append(.jsonMetadata(TextPayload("{}")))
        packets.append(.depth(Depth(time: TimeDatum(elapsed: 5), depth: 1, offset: 0, range: 2)))
        var request = WIBLEditRequest()
        request.loggerID = "Third"
        request.jsonMetadata = #"{"a":1}"#
        let original = WIBLEncoder.encode(packets)
        let result = try WIBLEditor.apply(request, to: original)
        let decoded = try WIBLFile.decode(result.bytes).packets
        #expect(decoded.count == packets.count, "nothing appended")
        #expect(decoded[1] == packets[1], "the first Metadata is left alone")
        #expect(decoded[packets.count - 3] == .metadata(Metadata(loggerName: "Third", shipName: "Ship 2")))
        #expect(decoded[packets.count - 2] == .jsonMetadata(TextPayload(#"{"a":1}"#)))
        #expect(decoded.last == packets.last)
    }

    @Test func firmwareOrderMetadataIsRecognisedThroughSetup() throws {
        let packets: [Packet] = [
            .serialiserVersion(allVersions[3]), .metadata(Metadata(loggerName: "My Boat", shipName: "LOGGER-1")),
            .setup(TextPayload(#"{"uniqueID":"LOGGER-1","shipname":"My Boat"}"#)),
        ]
        var request = WIBLEditRequest()
        request.shipName = "Renamed"
        let result = try WIBLEditor.apply(request, to: WIBLEncoder.encode(packets))
        #expect(
            try WIBLFile.decode(result.bytes).packets[1]
                == .metadata(Metadata(loggerName: "LOGGER-1", shipName: "Renamed")))
        #expect(result.changes[0].contains("ship name 'My Boat' → 'Renamed'"))
    }

    @Test func algorithmsAndFiltersAreRemovedAndAppended() throws {
        let original = WIBLEncoder.encode(everyPacket(allVersions[2]))
        var request = WIBLEditRequest()
        request.removeAlgorithms = ["nodatareject", "missing"]
        request.nmea0183Filters = ["GGA", "ZDA", "ZDA"]
        let result = try WIBLEditor.apply(request, to: original)
        let decoded = try WIBLFile.decode(result.bytes).packets
        #expect(!decoded.contains { if case .algorithmRequest(let a) = $0 { a.name == "nodatareject" } else { false } })
        #expect(decoded.contains(.algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: ""))))
        #expect(decoded.last == .nmea0183Filter(TextPayload("ZDA")))
        #expect(decoded.filter { $0.type == .nmea0183Filter }.count == 2)
        #expect(
            result.changes.contains("no AlgorithmRequest 'missing' to remove")
                && result.changes.contains("NMEA0183Filter 'GGA' already present"))
    }

    @Test func refusals() throws {
        let v10 = WIBLEncoder.encode(everyPacket(allVersions[0]))
        var filter = WIBLEditRequest()
        filter.nmea0183Filters = ["GGA"]
        #expect(
            throws: WIBLEditError.versionCannotHold(version: "1.0", type: "NMEA0183Filter", since: "1.1", count: 1)
        ) { try WIBLEditor.apply(filter, to: v10) }
        var v14 = WIBLEditRequest()
        v14.version = (1, 4)
        #expect(throws: WIBLEditError.unsupportedVersion(major: 1, minor: 4)) { try WIBLEditor.apply(v14, to: v10) }
        #expect(throws: WIBLEditError.nothingToDo) { try WIBLEditor.apply(WIBLEditRequest(), to: v10) }
        var rename = WIBLEditRequest()
        rename.loggerID = "X"
        #expect(throws: WIBLEditError.self) {
            try WIBLEditor.apply(rename, to: ByteBuffer(string: "not a logger file"))
        }
        // A truncated last packet: replacing in place works and keeps it; appending is refused.
        var cut = WIBLEncoder.encode(everyPacket(allVersions[3]))
        cut.moveWriterIndex(to: cut.writerIndex - 3)
        let edited = try WIBLEditor.apply(rename, to: cut)
        #expect(edited.bytes.readableBytes == cut.readableBytes - 12, "logger id 13 → 1 byte; nothing else changes")
        #expect(Array(edited.bytes.readableBytesView.suffix(40)) == Array(cut.readableBytesView.suffix(40)))
        var append = WIBLEditRequest()
        append.addAlgorithms = [AlgorithmRequest(name: "deduplicate", parameters: "")]
        #expect(throws: WIBLEditError.self) { try WIBLEditor.apply(append, to: cut) }
    }
}
