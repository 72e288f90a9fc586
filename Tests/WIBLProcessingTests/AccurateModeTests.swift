import NIOCore
import Testing
import WIBLFormat
import WIBLProcessing

// Accurate mode on hand-built packet lists: one rule per test, each against what reference mode does.

func runAccurate(
    _ packets: [Packet], _ change: (inout ProcessingConfiguration) -> Void = { _ in }
) throws(ProcessingError) -> ProcessedFile {
    var configuration = ProcessingConfiguration()
    configuration.mode = .accurate
    change(&configuration)
    return try processWIBL(
        WIBLFile(packets: packets, problems: [], byteCount: 0), configuration: configuration,
        options: ProcessingOptions(fileName: "test.wibl", nowMicroseconds: 1_795_000_000_000_000))
}

/// Time and position reports once a second from `from` to `to` seconds, at elapsed = start + s × 1000.
func track(_ from: Int, _ to: Int, start: UInt32 = 1000) -> [Packet] {
    (from...to).flatMap { s -> [Packet] in
        let e = start &+ UInt32(s * 1000)
        return [time(e, Double(s)), fix(e, 43 + Double(s) * 1e-5, -70)]
    }
}

@Suite struct AccurateModeTests {
    @Test func aSmallStepBackIsReorderingNotAWrap() throws {
        // A DBT stamped 2 ms before the Depth written ahead of it: reference takes the step for a
        // 2^32 ms wrap and gives the DBT the next report's time; accurate orders by time.
        let packets =
            [version, metadata] + track(0, 1) + [depth(2502, 8), sentence(2500, "SDDBT,26.2,f,8.0,M,4.4,F")]
            + track(2, 4)
        let reference = try run(packets)
        #expect(reference.depth.t.map { abs($0 - base2020 - 2) < 1e-3 } == [false, true], "the next report's time")
        let accurate = try runAccurate(packets) { $0.accurate.pingWindowSeconds = 0.001 }
        #expect(accurate.depth.t.map { (($0 - base2020) * 1000).rounded() } == [1500, 1502])
        #expect(accurate.depth.z == [8.0, 8.0])
        #expect(accurate.lineage.last?.comment.contains("0 counter wraps, 1 out-of-order steps") == true)
    }

    @Test func aRealWrapIsAWrapInBothModes() throws {
        // The counter passes 2^32 between the reports of seconds 1 and 2.
        let start = UInt32.max - 1500
        let packets =
            [version, metadata] + track(0, 2, start: start) + [depth(start &+ 2500, 9)] + track(3, 3, start: start)
        let accurate = try runAccurate(packets)
        #expect(accurate.depth.t.map { $0 - base2020 } == [2.5])
        #expect(try run(packets).depth.t.map { $0 - base2020 } == [2.5])
        #expect(accurate.lineage.last?.comment.contains("1 counter wraps") == true)
    }

    @Test func noDataDepthsAndTimesAreDropped() throws {
        let packets =
            [version, metadata] + track(0, 4)
            + [
                depth(1500, -1e9), depth(2500, 42_949_672.92), depth(3500, 7),
                .systemTime(SystemTime(date: 49710, timestamp: 23295.0, elapsed: 3600, source: 0)),
                .systemTime(SystemTime(date: 0xFFFF, timestamp: -1e9, elapsed: 3700, source: 0)),
            ]
        let reference = try run(packets)
        #expect(reference.depth.z.contains(-1e9) && reference.depth.z.contains(42_949_672.92))
        let accurate = try runAccurate(packets)
        #expect(accurate.depth.z == [7])
        #expect(accurate.depth.t.map { $0 - base2020 } == [2.5])
        #expect(accurate.leftOut[.noData] == 2)
    }

    @Test func aTimeReportThatDisagreesWithItsNeighboursIsDropped() throws {
        // A second device's SystemTime an hour off, between good ones.
        let packets =
            [version, metadata] + track(0, 3) + [time(2500, 3600 + 1.5), depth(2500, 8)] + track(4, 6)
        let reference = try run(packets)
        #expect(reference.depth.t.map { $0 - base2020 } == [3601.5])
        let accurate = try runAccurate(packets)
        #expect(accurate.depth.t.map { $0 - base2020 } == [1.5])
        #expect(accurate.lineage.last?.comment.contains("1 unusable time reports") == true)
    }

    @Test func voidFixesAreNotPositions() throws {
        let packets: [Packet] = [
            version, metadata, time(1000, 0), sentence(1000, "GPGGA,000000.000,4300.000,N,07000.000,W,1,8,1,0,M,0,M,,"),
            time(2000, 1), sentence(2000, "GPGGA,000001.000,4330.000,N,07000.000,W,0,0,,,M,,M,,"), depth(2000, 5),
            time(3000, 2), sentence(3000, "GPGGA,000002.000,4300.600,N,07000.000,W,2,8,1,0,M,0,M,,"),
        ]
        let reference = try run(packets)
        #expect(reference.depth.lat == [43.5], "reference: the void fix is used")
        let accurate = try runAccurate(packets)
        #expect(abs(accurate.depth.lat[0] - 43.005) < 1e-12)
    }

    @Test func neverExtrapolatesAndRespectsTheGapLimit() throws {
        // Soundings before the first report, in a 20 s gap, and after the last report.
        let packets =
            [version, metadata, depth(500, 1)] + track(0, 2) + [depth(12_000, 2)] + track(22, 24)
            + [depth(30_000, 3), depth(24_500, 4)]
        let reference = try run(packets)
        #expect(reference.depth.count == 4, "reference clamps and interpolates across the gap")
        let accurate = try runAccurate(packets)
        #expect(accurate.depth.z == [4])
        #expect(accurate.leftOut[.noTime] == 3)
        let wide = try runAccurate(packets) { $0.accurate.gapLimitSeconds = 30 }
        #expect(wide.depth.z == [2, 4])
    }

    @Test func oneDepthPerPingWithAPreferenceAndTheDPTOffset() throws {
        let packets =
            [version, metadata] + track(0, 3)
            + [
                depth(1500, 8), sentence(1500, "SDDBT,26.2,f,8.1,M,4.4,F"), sentence(1700, "IIDPT,8.5,0.5"),
                sentence(2600, "IIDPT,9.0,0.5"),
            ]
        #expect(try run(packets).depth.count == 4)
        let accurate = try runAccurate(packets)
        #expect(accurate.depth.z == [8, 9.0])
        #expect(accurate.leftOut[.otherSource] == 2)
        let preferDPT = try runAccurate(packets) {
            $0.accurate.depthPreference = [.dpt, .dbt]
            $0.accurate.appliesDPTOffset = true
        }
        #expect(preferDPT.depth.z == [9.0, 9.5])
    }

    @Test func repeatsOfAPingAreDuplicates() throws {
        let packets = [version, metadata] + track(0, 3) + [depth(1500, 8), depth(1800, 8), depth(2500, 8)]
        let accurate = try runAccurate(packets)
        #expect(accurate.depth.z == [8, 8])
        #expect(accurate.leftOut[.duplicate] == 1)
    }

    @Test func badTalkersAreIgnored() throws {
        let packets =
            [version, metadata] + track(0, 3)
            + [
                sentence(1500, "SDDBT,26.2,f,8.1,M,4.4,F"), sentence(2500, "IIDBT,26.2,f,9.9,M,4.4,F"),
                sentence(2000, "IIGGA,000001.000,4500.000,N,07000.000,W,1,8,1,0,M,0,M,,"),
            ]
        let accurate = try runAccurate(packets) { $0.accurate.badTalkers = ["II"] }
        #expect(accurate.depth.z == [8.1])
        #expect(accurate.depth.lat.allSatisfy { $0 < 44 })
        #expect(accurate.leftOut[.badTalker] == 1)
    }

    @Test func headingsAreInterpolatedOnlyWhereCovered() throws {
        let packets =
            [version, metadata, sentence(500, "GPHDT,10.0,T")] + track(0, 2)
            + [depth(1500, 8), sentence(1500, "GPHDT,20.0,T"), sentence(3500, "GPHDT,30.0,T")]
        let accurate = try runAccurate(packets)
        #expect(accurate.heading.values == [[20.0]])
        #expect(accurate.heading.t.map { $0 - base2020 } == [0.5])
    }

    @Test func theLineageRecordDescribesTheRun() throws {
        let accurate = try runAccurate([version, metadata] + track(0, 2) + [depth(1500, 8), depth(500, -1e9)])
        let record = try #require(accurate.lineage.last)
        #expect(record.name == "accurate" && record.version == "1.0.0")
        #expect(record.parameters.first == AlgorithmParameter(key: "gap_limit_seconds", value: "10.0"))
        #expect(record.comment.hasPrefix("Kept 1 of 2 depth observations; left out: 1 no-data."))
    }

    @Test func everySoundingLeftOutIsAnError() {
        #expect(throws: ProcessingError.self) { try runAccurate([version, metadata] + track(0, 2) + [depth(9000, 8)]) }
    }

    @Test func configurationKeys() throws {
        let json = """
            {"mode": "accurate", "gap_limit_seconds": 5, "apply_dpt_offset": true, "depth_preference": ["DPT", "DBT"],
             "ping_window_seconds": 0.25, "bad_talkers": ["ii", 35]}
            """
        let configuration = try ProcessingConfiguration(json: Array(json.utf8))
        #expect(configuration.mode == .accurate)
        #expect(configuration.accurate.gapLimitSeconds == 5 && configuration.accurate.appliesDPTOffset)
        #expect(configuration.accurate.depthPreference == [.dpt, .dbt])
        #expect(configuration.accurate.pingWindowSeconds == 0.25)
        #expect(configuration.accurate.badTalkers == ["II", "35"])
        #expect(try ProcessingConfiguration(json: Array("{}".utf8)).mode == .reference)
        #expect(AccurateSettings.keys.allSatisfy(ProcessingConfiguration.knownKeys.contains))
        for bad in [
            #"{"mode": "fast"}"#, #"{"gap_limit_seconds": 0}"#, #"{"depth_preference": ["SONAR"]}"#,
            #"{"bad_talkers": [300]}"#, #"{"apply_dpt_offset": 1}"#,
        ] {
            #expect(throws: ConfigurationError.self) { try ProcessingConfiguration(json: Array(bad.utf8)) }
        }
    }
}
