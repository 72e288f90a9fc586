import NIOCore
import Testing
import WIBLFormat

let v13 = SerialiserVersion(major: 1, minor: 3, imu: .init(1, 0, 0))
let allTypes = WIBLEncoder.encode(samplePackets(version: v13))

/// Offsets of every packet boundary of ``allTypes``.
let boundaries: Set<Int> = {
    var result: Set<Int> = [0]
    var offset = 0
    while offset < allTypes.readableBytes {
        let length = Int(allTypes.getInteger(at: offset + 4, endianness: .little, as: UInt32.self) ?? 0)
        offset += 8 + length
        result.insert(offset)
    }
    return result
}()

let versionPacketEnd = 8 + 22

@Suite struct DamagedFileTests {
    /// Every cut inside a header or payload gives a typed problem; a cut at a boundary is a valid
    /// shorter file (the format has no end marker). Never a crash.
    @Test(arguments: Array(versionPacketEnd...allTypes.readableBytes))
    func everyTruncationPointIsReportedOrClean(_ cut: Int) throws {
        let bytes = allTypes.getSlice(at: 0, length: cut) ?? ByteBuffer()
        let file = try WIBLFile.decode(bytes)
        if boundaries.contains(cut) {
            #expect(file.problems.isEmpty)
        } else {
            #expect(file.problems.count == 1)
            switch file.problems.first {
            case .truncatedHeader(let offset, let available)?:
                #expect(available < 8 && offset + available == cut)
            case .truncatedPacket(_, _, _, let declared, let available)?:
                #expect(available < declared)
            default:
                Issue.record("unexpected problem \(String(describing: file.problems.first))")
            }
            #expect(throws: WIBLDecodeError.self) { try WIBLFile.decode(bytes, options: .init(isStrict: true)) }
        }
    }

    @Test(arguments: 0..<versionPacketEnd)
    func d8CutsInsideTheVersionPacketAreNotWIBL(_ cut: Int) {
        #expect(throws: WIBLDecodeError.self) {
            try WIBLFile.decode(allTypes.getSlice(at: 0, length: cut) ?? ByteBuffer())
        }
    }

    @Test func d8GarbageAndEmptyFilesAreNotWIBL() {
        for bytes: [UInt8] in [
            [], [1, 2, 3], Array("hello, this is not a wibl file".utf8), [5, 0, 0, 0, 87, 0, 0, 0],
        ] {
            do {
                _ = try WIBLFile.decode(ByteBuffer(bytes: bytes))
                Issue.record("accepted \(bytes)")
            } catch {
                guard case .notWIBL = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
            }
        }
    }

    @Test func d1UnknownPacketIsSkippedOrStrictlyRefused() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        buffer.writeInteger(UInt32(99), endianness: .little)
        buffer.writeInteger(UInt32(3), endianness: .little)
        buffer.writeBytes([1, 2, 3])
        WIBLEncoder.append(.metadata(Metadata(loggerName: "a", shipName: "b")), to: &buffer)
        let file = try WIBLFile.decode(buffer)
        #expect(file.problems == [.unknownPacket(index: 1, offset: 30, id: 99, length: 3)])
        #expect(file.packets.count == 2)
        #expect(throws: WIBLDecodeError.unknownPacket(index: 1, offset: 30, id: 99, length: 3)) {
            try WIBLFile.decode(buffer, options: .init(isStrict: true))
        }
    }

    @Test func d1RawGNSSIsUnknownBefore14() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        WIBLEncoder.append(.rawGNSS(ByteBuffer(repeating: 0, count: 1024)), to: &buffer)
        let file = try WIBLFile.decode(buffer)
        #expect(file.problems == [.unknownPacket(index: 1, offset: 30, id: 19, length: 1024)])
    }

    @Test func d2AbsurdDeclaredLengthIsTruncationWithoutAllocation() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        buffer.writeInteger(UInt32(10), endianness: .little)
        buffer.writeInteger(UInt32.max, endianness: .little)
        buffer.writeBytes([0, 0, 0, 0])
        let file = try WIBLFile.decode(buffer)
        #expect(
            file.problems == [
                .truncatedPacket(index: 1, offset: 30, id: 10, declaredLength: Int(UInt32.max), available: 4)
            ])
    }

    @Test func d4WrongFixedLengthIsSkipped() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        buffer.writeInteger(UInt32(5), endianness: .little)  // GNSS with 86 bytes
        buffer.writeInteger(UInt32(86), endianness: .little)
        buffer.writeBytes([UInt8](repeating: 0, count: 86))
        WIBLEncoder.append(.depth(Depth(time: .init(elapsed: 5), depth: 1, offset: 0, range: 0)), to: &buffer)
        let file = try WIBLFile.decode(buffer)
        #expect(file.problems == [.badPacketLength(index: 1, offset: 30, type: .gnss, expected: 87, found: 86)])
        #expect(file.packets.last?.type == .depth)
    }

    @Test func d4StringRunningPastItsPacket() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        buffer.writeInteger(UInt32(12), endianness: .little)
        buffer.writeInteger(UInt32(8), endianness: .little)
        buffer.writeInteger(UInt32(100), endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)
        let file = try WIBLFile.decode(buffer)
        #expect(
            file.problems == [
                .badString(
                    index: 1, offset: 30, type: .metadata, field: "loggerName", declaredLength: 100, available: 4)
            ])
    }

    @Test func d5InvalidUTF8InMetadataIsATranscriptionError() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        buffer.writeInteger(UInt32(13), endianness: .little)
        buffer.writeInteger(UInt32(10), endianness: .little)
        buffer.writeInteger(UInt32(2), endianness: .little)
        buffer.writeBytes([0xC3, 0x28])
        buffer.writeInteger(UInt32(0), endianness: .little)
        let file = try WIBLFile.decode(buffer)
        #expect(file.problems == [.invalidUTF8(index: 1, offset: 30, type: .algorithmRequest, field: "name")])
    }

    @Test func d6InvalidJSONInSetupIsKeptRaw() throws {
        let packets: [Packet] = [.serialiserVersion(v13), .setup(TextPayload("{not json"))]
        #expect(try WIBLFile.decode(WIBLEncoder.encode(packets)).packets == packets)
    }

    @Test func d3TrailingBytesAreReported() throws {
        var buffer = WIBLEncoder.encode([.serialiserVersion(v13)])
        buffer.writeBytes([1, 2, 3])
        #expect(try WIBLFile.decode(buffer).problems == [.truncatedHeader(offset: 30, available: 3)])
    }

    @Test func messagesReadAsSentences() {
        let message = WIBLDecodeError.truncatedPacket(index: 17, offset: 4096, id: 5, declaredLength: 87, available: 12)
            .description
        #expect(
            message
                == "packet 17 at byte 4096 (GNSS) is truncated: declared 87 bytes, 12 available; the file ends there.")
    }
}
