import NIOCore
import Testing
import WIBLFormat
import WIBLProcessing

/// The processing straight from the bytes (`processWIBL(bytes:…)`) against the list-based one, on
/// hand-built files, and the caps on what one packet may hold (issue 11).
@Suite struct StreamingProcessingTests {
    static func streamed(_ packets: [Packet], strict: Bool = false) throws(StreamProcessingError) -> StreamedProcessing
    {
        try processWIBL(
            bytes: WIBLEncoder.encode(packets), decoding: DecodingOptions(isStrict: strict),
            configuration: ProcessingConfiguration(),
            options: ProcessingOptions(fileName: "test.wibl", nowMicroseconds: 1_795_000_000_000_000))
    }

    static func same(_ a: ProcessedFile, _ b: ProcessedFile) -> Bool {
        a.depth == b.depth && a.lineage == b.lineage && a.statistics == b.statistics && a.warnings == b.warnings
            && a.loggerName == b.loggerName && a.loggerVersion == b.loggerVersion && a.timeSource == b.timeSource
            && a.heading == b.heading && a.algorithms == b.algorithms && a.jsonMetadata == b.jsonMetadata
    }

    @Test func zeroedElapsedTimesAreFixedUpAsInTheListBasedProcessing() throws {
        // ZDA-timed: the seed, §6a times, §6b bracketing between non-zero neighbours.
        let packets: [Packet] = [
            version, metadata,
            sentence(0, "GPZDA,000001.00,01,01,2020,00,00"),
            sentence(0, "GPZDA,000002.00,01,01,2020,00,00"),
            sentence(3000, "GPGGA,000003.00,4300.000,N,07030.000,W,1,08,1.0,0.0,M,0.0,M,,"),
            sentence(0, "GPDBT,32.8,f,10.0,M,5.4,F"),
            sentence(0, "GPDBT,33.8,f,10.3,M,5.6,F"),
            sentence(5000, "GPZDA,000005.00,01,01,2020,00,00"),
            sentence(6000, "GPGGA,000006.00,4300.010,N,07030.010,W,1,08,1.0,0.0,M,0.0,M,,"),
            sentence(6500, "GPDBT,34.8,f,10.6,M,5.8,F"),
            sentence(0, "GPZDA,000007.00,01,01,2020,00,00"),
            sentence(7500, "GPDBT,35.8,f,10.9,M,5.9,F"),
        ]
        let listed = try run(packets)
        let streamed = try Self.streamed(packets)
        #expect(Self.same(listed, streamed.processed))
        #expect(streamed.processed.depth.count == 4)
        #expect(streamed.problems.isEmpty)
    }

    @Test func nodatarejectTwiceCountsTheSecondRunOnWhatTheFirstKept() throws {
        let packets: [Packet] = [
            version, metadata,
            .algorithmRequest(AlgorithmRequest(name: "nodatareject", parameters: "")),
            .algorithmRequest(AlgorithmRequest(name: "nodatareject", parameters: "again=1")),
            time(1000, 1), fix(1000, 43, -70), depth(1500, 10), depth(1600, -1_000_000_000), fix(2000, 43.1, -70.1),
            time(2000, 2), depth(2500, 11),
        ]
        let listed = try run(packets)
        let streamed = try Self.streamed(packets).processed
        #expect(Self.same(listed, streamed))
        #expect(streamed.lineage.count == 2)
        #expect(streamed.lineage[1].comment.hasPrefix("Filtered 0 packets of 10 total."))
    }

    @Test func decodeErrorsComeBeforeProcessingErrors() {
        // Strict: the damaged trailer is a decode error even though the version is too new.
        var bytes = WIBLEncoder.encode([.serialiserVersion(SerialiserVersion(major: 1, minor: 9))])
        bytes.writeBytes([1, 0, 0, 0, 200, 0, 0, 0, 1])
        #expect(throws: StreamProcessingError.self) {
            try processWIBL(
                bytes: bytes, decoding: DecodingOptions(isStrict: true), configuration: ProcessingConfiguration(),
                options: ProcessingOptions(fileName: "x", nowMicroseconds: 0))
        }
        do {
            _ = try processWIBL(
                bytes: bytes, decoding: DecodingOptions(isStrict: true), configuration: ProcessingConfiguration(),
                options: ProcessingOptions(fileName: "x", nowMicroseconds: 0))
        } catch {
            guard case .decode = error else {
                Issue.record("expected a decode error, got \(error)")
                return
            }
        }
        // Non-strict: the problem is reported and the version refuses the file.
        #expect(throws: StreamProcessingError.processing(.newerDataFile(major: 1, minor: 9))) {
            try processWIBL(
                bytes: bytes, decoding: DecodingOptions(), configuration: ProcessingConfiguration(),
                options: ProcessingOptions(fileName: "x", nowMicroseconds: 0))
        }
    }

    @Test func aJSONMetadataPacketOverTheCapIsRefusedNamingIt() {
        let big = TextPayload(String(repeating: " ", count: PacketLimits.jsonTextBytes + 1))
        let packets: [Packet] = [version, metadata, .jsonMetadata(big), time(1000, 1), fix(1000, 1, 1), depth(1500, 3)]
        let expected = ProcessingError.packetTooLarge(
            type: "JSONMetadata", packetIndex: 2, bytes: PacketLimits.jsonTextBytes + 1,
            limit: PacketLimits.jsonTextBytes)
        #expect(throws: expected) { try run(packets) }
        #expect(throws: StreamProcessingError.processing(expected)) { try Self.streamed(packets) }
        #expect(expected.errorClass == "PacketTooLarge")
        #expect(expected.description.contains("8388608"))
    }

    @Test func anAlgorithmRequestOverTheCapIsRefused() {
        let parameters = Array(repeating: "k=v", count: 30_000).joined(separator: ",")
        let packets: [Packet] = [
            version, .algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: parameters)),
            time(1000, 1), fix(1000, 1, 1), depth(1500, 3),
        ]
        #expect(
            throws: ProcessingError.packetTooLarge(
                type: "AlgorithmRequest", packetIndex: 1, bytes: 11 + parameters.utf8.count,
                limit: PacketLimits.algorithmRequestBytes)
        ) { try run(packets) }
    }

    @Test func manyParametersAndManyRequestsAreHandledInOnePass() throws {
        // 10,000 pairs, half of them repeats: the repeats keep their first place, take the last value.
        var pieces: [String] = []
        for i in 0..<5_000 { pieces.append("k\(i)=a") }
        for i in 0..<5_000 { pieces.append("k\(i)=b\(i)") }
        let parsed = try #require(AlgorithmRegistry.parseParameters(pieces.joined(separator: ",")))
        #expect(parsed.count == 5_000)
        #expect(parsed[4_321] == AlgorithmParameter(key: "k4321", value: "b4321"))
        // 20,000 algorithm requests, 2 distinct: de-duplicated in order of first occurrence.
        var packets: [Packet] = [version]
        for i in 0..<20_000 {
            packets.append(
                .algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: i % 2 == 0 ? "" : "a=1")))
        }
        packets += [time(1000, 1), fix(1000, 1, 1), depth(1500, 3)]
        let result = try run(packets)
        #expect(result.algorithms.map(\.parameters) == ["", "a=1"])
        #expect(result.lineage.count == 2)
    }
}
