import NIOCore
import Testing
import WIBLFormat
import WIBLProcessing

// Hand-built packet lists (`processing.md`), one rule per test.

let version = Packet.serialiserVersion(SerialiserVersion(major: 1, minor: 3, imu: .init(1, 0, 0)))
let metadata = Packet.metadata(Metadata(loggerName: "logger", shipName: "ship"))
let day: UInt16 = 18262  // 2020-01-01

func time(_ e: UInt32, _ seconds: Double) -> Packet {
    .systemTime(SystemTime(date: day, timestamp: seconds, elapsed: e, source: 0))
}
func fix(_ e: UInt32, _ lat: Double, _ lon: Double) -> Packet {
    .gnss(
        GNSS(
            time: TimeDatum(elapsed: e), msgDate: day, msgTimestamp: Double(e) / 1000, latitude: lat, longitude: lon,
            altitude: 0, receiverType: 0, receiverMethod: 2, numSVs: 12, horizontalDOP: 1, positionDOP: 1,
            separation: 0, numRefStations: 0, refStationType: 0, refStationID: 0, correctionAge: 0))
}
func depth(_ e: UInt32, _ z: Double) -> Packet {
    .depth(Depth(time: TimeDatum(elapsed: e), depth: z, offset: 0, range: 200))
}
func sentence(_ e: UInt32, _ body: String) -> Packet {
    .serialString(SerialString(elapsed: e, data: ByteBuffer(string: NMEA0183Checksum.sentence(body))))
}
func raw(_ e: UInt32, _ text: String) -> Packet {
    .serialString(SerialString(elapsed: e, data: ByteBuffer(string: text)))
}

func run(_ packets: [Packet], width: Int = 32) throws(ProcessingError) -> ProcessedFile {
    var configuration = ProcessingConfiguration()
    configuration.elapsedTimeWidth = width
    return try processWIBL(
        WIBLFile(packets: packets, problems: [], byteCount: 0), configuration: configuration,
        options: ProcessingOptions(fileName: "test.wibl", nowMicroseconds: 1_795_000_000_000_000))
}

let base2020 = 1_577_836_800.0

@Suite struct StageTests {
    @Test func soundingsStampedZeroAreMissingAndLeftOut() throws {
        let result = try run([
            version, metadata, time(0, 0), fix(0, 43, -70), depth(0, 5), time(1000, 1), fix(1000, 43.1, -70.1),
            depth(1500, 6), time(2000, 2), fix(2000, 43.2, -70.2),
        ])
        #expect(result.depth.z == [6])
        #expect(result.depth.t == [base2020 + 1.5])
        #expect(abs(result.depth.lat[0] - 43.15) < 1e-12)
        #expect(
            result.loggerName == "logger" && result.platformName == "ship" && result.loggerVersion == "1.3/1.0.0/1.0.0")
        #expect(result.timeSource == "SystemTime")
    }

    @Test func zdaSeedingAssignsElapsedAndLosesTheSeed() throws {
        // TeamSurv-like: no elapsed times at all; times come from ZDA.
        let result = try run([
            version, sentence(0, "GPZDA,000000.000,01,01,2020,00,00"), sentence(0, "GPZDA,000010.000,01,01,2020,00,00"),
            sentence(0, "GPGGA,000000.000,4300.0,N,07000.0,W,1,8,1,0,M,0,M,,"), sentence(0, "SDDBT,1.0,f,7.5,M,0.5,F"),
            sentence(0, "GPZDA,000020.000,01,01,2020,00,00"),
        ])
        // ZDA@10 s gets 10000 ms, ZDA@20 s 20000 ms; the GGA and DBT between them get the mean
        // 15000 ms; the seed (0 s) keeps 0 and is lost, so 15 s interpolates between 10 s and 20 s.
        #expect(result.depth.t == [base2020 + 15])
        #expect(result.depth.z == [7.5])
        #expect(result.timeSource == "ZDA")
    }

    @Test func anyBackwardStepIsAWrapEvenOneMillisecond() throws {
        let result = try run([
            version, time(1000, 1), fix(1000, 10, 10), depth(1500, 1), depth(1499, 2), time(2000, 2), fix(2000, 20, 20),
        ])
        // The 1 ms step back adds 2^32 to every later x: the next time/position points sit ~2^32 ms
        // after the first depth, so it keeps (almost exactly) the values before the step, and the
        // depth after the step gets (almost exactly) the values of the next point (§7 step 3).
        #expect(abs(result.depth.t[0] - (base2020 + 1)) < 1e-6)
        #expect(abs(result.depth.t[1] - (base2020 + 2)) < 1e-6)
        #expect(abs(result.depth.lat[1] - 20) < 1e-5 && result.depth.lat[1] < 20)
    }

    @Test func width16WrapsAtTheQuantum() throws {
        let result = try run(
            [
                version, time(60000, 60), fix(60000, 1, 1), time(65000, 65), fix(65000, 2, 2), depth(1000, 3),
                time(2000, 67), fix(2000, 3, 3),
            ], width: 16)
        // 1000 after 65000 is a wrap: x = 1000 + 65536 = 66536, between 65000 and 67536.
        let expected = (67.0 - 65.0) / (67536.0 - 65000.0) * (66536.0 - 65000.0) + 65.0
        #expect(abs(result.depth.t[0] - (base2020 + expected)) < 1e-6)
    }

    @Test func p11StoredElapsedTooWideForTheConfiguredCounter() {
        #expect(throws: ProcessingError.elapsedWidthMismatch(packetIndex: 1, elapsed: 70000, width: 16)) {
            try run([version, time(70000, 1), fix(70000, 1, 1), depth(70001, 1)], width: 16)
        }
    }

    @Test func d7FirmwareMetadataOrderIsSwappedWhenSetupSaysSo() throws {
        let setup = Packet.setup(
            TextPayload(#"{"version":{"commandproc":"1.0"},"uniqueID":"UNHJHC-abc","shipname":"Ship"}"#))
        let swapped = Packet.metadata(Metadata(loggerName: "Ship", shipName: "UNHJHC-abc"))
        let result = try run([version, swapped, setup, time(1, 0), fix(1, 1, 1), depth(2, 1)])
        #expect(result.loggerName == "UNHJHC-abc" && result.platformName == "Ship")
        #expect(result.warnings.contains(.metadataSwapped(uniqueID: "UNHJHC-abc", shipName: "Ship")))
        let unchanged = try run([version, metadata, setup, time(1, 0), fix(1, 1, 1), depth(2, 1)])
        #expect(unchanged.loggerName == "logger")
    }
}

@Suite struct DeviationTests {
    @Test func p1ChecksumMismatchIsAChecksumFault() throws {
        let result = try run([
            version, time(1, 0), fix(1, 1, 1), depth(2, 1), raw(3, "$SDDBT,1.0,f,9.9,M,0.5,F*00\r\n"),
        ])
        #expect(result.depth.z == [1])
        #expect(result.warnings.contains(.faults(name: "DBT", kind: .checksum, count: 1)))
    }

    @Test func p2MalformedCoordinateIsAFieldFaultNotACrash() throws {
        let result = try run([
            version, time(1, 0), fix(1, 1, 1), depth(2, 1),
            sentence(3, "GPGGA,000000,43x0.5,N,07000.0,W,1,8,1,0,M,0,M,,"),
        ])
        #expect(result.warnings.contains(.faults(name: "GGA", kind: .type, count: 1)))
    }

    @Test func p3EmptyLatitudeOrBadHemisphereAddsNoPosition() throws {
        let result = try run([
            version, time(1, 0), fix(1, 1, 1), depth(5, 1),
            sentence(2, "GPGGA,000000,,N,07000.0,W,1,8,1,0,M,0,M,,"),
            sentence(3, "GPGGA,000000,4300.0,n,07000.0,W,1,8,1,0,M,0,M,,"),
        ])
        #expect(result.depth.lat == [1], "no 0.0 latitude was added")
        #expect(result.warnings.contains(.faults(name: "GGA", kind: .type, count: 2)))
    }

    @Test func p4NonFiniteValuesNeverReachTheOutput() throws {
        let result = try run([
            version, time(1, 0), fix(1, 1, 1), depth(2, .infinity), depth(3, 4), sentence(4, "SDDBT,1,f,NaN,M,1,F"),
        ])
        #expect(result.depth.z == [4])
        #expect(result.warnings.contains(.nonFiniteSoundings(count: 1)))
        #expect(result.warnings.contains(.faults(name: "DBT", kind: .type, count: 1)))
    }

    @Test func p5TimeSourceWithoutUsableTimes() {
        #expect(throws: ProcessingError.noTimeReference(source: "SystemTime")) {
            try run([version, time(0, 0), fix(1, 1, 1), depth(2, 1)])
        }
    }

    @Test func p6DepthsWithoutPositions() {
        #expect(throws: ProcessingError.noPosition) { try run([version, time(1, 0), depth(2, 1)]) }
    }

    @Test func p8MalformedParametersAreRefusedUpFront() {
        #expect(throws: ProcessingError.badAlgorithmParameters(name: "deduplicate", parameters: "mode")) {
            try run([
                version, .algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: "mode")), time(1, 0),
                fix(1, 1, 1), depth(2, 1),
            ])
        }
    }

    @Test func p9ParametersBecomePairsLaterDuplicatesWin() throws {
        #expect(AlgorithmRegistry.parseParameters("") == [])
        #expect(
            AlgorithmRegistry.parseParameters("a=1,b=2,a=3") == [
                AlgorithmParameter(key: "a", value: "3"), AlgorithmParameter(key: "b", value: "2"),
            ])
        #expect(AlgorithmRegistry.parseParameters("a=1,") == nil)
        #expect(AlgorithmRegistry.parseParameters("a=b=c") == nil)
    }

    @Test func p10DeduplicateLeavingNothingIsNoDataNamingIt() {
        #expect(throws: ProcessingError.noData(algorithm: "deduplicate")) {
            try run([
                version, .algorithmRequest(AlgorithmRequest(name: "deduplicate", parameters: "")), time(1, 0),
                fix(1, 1, 1), depth(2, 0), depth(3, 0),
            ])
        }
    }

    @Test func p12VersionIsCheckedBeforeAlgorithmsAndTimeSource() {
        let newer = Packet.serialiserVersion(SerialiserVersion(major: 1, minor: 4))
        #expect(throws: ProcessingError.newerDataFile(major: 1, minor: 4)) {
            try run([newer, .algorithmRequest(AlgorithmRequest(name: "magic", parameters: ""))])
        }
        #expect(throws: ProcessingError.unknownAlgorithm(name: "magic", fileName: "test.wibl")) {
            try run([version, .algorithmRequest(AlgorithmRequest(name: "magic", parameters: ""))])
        }
        #expect(throws: ProcessingError.noTimeSource) { try run([version, depth(1, 1)]) }
        #expect(throws: ProcessingError.noData(algorithm: nil)) { try run([version, time(1, 0), fix(1, 1, 1)]) }
    }

    @Test func nodatarejectCountsAndRemovesOnlyNoDataPackets() throws {
        let request = Packet.algorithmRequest(AlgorithmRequest(name: "nodatareject", parameters: "phase=raw"))
        let result = try run([
            version, request, time(1, 0), .systemTime(SystemTime(date: 49710, timestamp: 23295, elapsed: 2, source: 0)),
            fix(3, 1, 1), fix(4, -1e9, 1), depth(5, 2), depth(6, -1e9),
        ])
        #expect(
            result.lineage.map(\.comment) == [
                "Filtered 3 packets of 8 total. Filtered 1 of 2 GNSS packets. Filtered 1 of 2 Depth packets. Filtered 1 of 2 SystemTime packets."
            ])
        #expect(result.lineage.first?.parameters == [AlgorithmParameter(key: "phase", value: "raw")])
        #expect(result.depth.z == [2])
    }
}

@Suite struct InterpolationTests {
    @Test func oneSampleGivesItsValueEverywhere() {
        #expect(Interpolation.interp([-1, 0, 5, .nan], [2], [7]) == [7, 7, 7, 7])
    }

    @Test func endsAreClampedNotExtrapolated() {
        #expect(Interpolation.interp([-5, 0, 5, 10, 15], [0, 10], [1, 3]) == [1, 1, 2, 3, 3])
    }

    @Test func repeatedSamplePointsTakeTheLastEqualOne() {
        #expect(Interpolation.interp([1], [0, 1, 1, 2], [0, 5, 6, 7]) == [6])
    }

    @Test func nanQueryGivesNaN() {
        #expect(Interpolation.interp([.nan], [0, 1], [0, 1])[0].isNaN)
    }

    @Test func longMonotoneTablesMatchTheDefinition() {
        let xp = (0..<1000).map { Double($0) * 1.5 }
        let fp = xp.map { $0 * $0 }
        let x = stride(from: -3.0, through: 1600, by: 0.7).map { $0 }
        let ours = Interpolation.interp(x, xp, fp)
        for (i, value) in x.enumerated() {
            var j = 0
            while j + 1 < xp.count && xp[j + 1] <= value { j += 1 }
            let expected: Double
            if value < xp[0] {
                expected = fp[0]
            } else if j == xp.count - 1 || xp[j] == value {
                expected = fp[j]
            } else {
                expected = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]) * (value - xp[j]) + fp[j]
            }
            #expect(ours[i] == expected)
        }
    }
}
