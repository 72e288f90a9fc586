import NIOCore
import Testing
import WIBLFormat

/// The simulator's faults, each seen in the packets it writes.
@Suite struct SimulatedFaultsTests {
    func simulate(_ faults: [SimulatedFault], seconds: Double = 600, truth: Bool = false) -> (
        packets: [Packet], truth: [TruthPing]
    ) {
        var options = SimulatorOptions()
        options.durationSeconds = seconds
        options.seed = 9
        options.faults = FaultSettings(faults)
        options.recordsTruth = truth
        var simulator = WIBLSimulator(options: options)
        var packets: [Packet] = []
        while let packet = simulator.next() { packets.append(packet) }
        return (packets, simulator.truth)
    }

    func sentences(_ packets: [Packet]) -> [String] {
        packets.compactMap { packet in
            guard case .serialString(let s) = packet else { return nil }
            return String(buffer: s.data)
        }
    }

    @Test func faultListsAndRates() throws {
        #expect(try SimulatedFault.parseList("all").get() == SimulatedFault.allCases)
        #expect(try SimulatedFault.parseList("wrap,reorder,wrap").get() == [.reorder, .wrap])
        #expect(throws: FaultListError(name: "gremlins")) { try SimulatedFault.parseList("reorder,gremlins").get() }
        #expect(FaultSettings([.outage]).rate(.outage) == 0.1 && FaultSettings([.outage]).rate(.wrap) == 0)
    }

    @Test func reorderStepsTheElapsedTimeBack() {
        let elapsed = simulate([.reorder]).packets.map(\.elapsed).filter { $0 != 0 }
        let steps = zip(elapsed, elapsed.dropFirst()).filter { $0.1 < $0.0 }.map { $0.0 - $0.1 }
        #expect(steps.count > 50)
        #expect(steps.allSatisfy { $0 <= 20 })
    }

    @Test func nodataWritesNMEA2000NoDataValues() {
        let packets = simulate([.nodata]).packets
        let depths = packets.compactMap { p -> Double? in if case .depth(let d) = p { d.depth } else { nil } }
        #expect(depths.contains(-1e9) && depths.contains(42_949_672.92))
        #expect(
            packets.contains { if case .systemTime(let t) = $0 { t.date == 49710 || t.date == 0xFFFF } else { false } })
        #expect(packets.contains { if case .gnss(let g) = $0 { g.latitude == -1e9 } else { false } })
    }

    @Test func voidFixesAreMarkedAndOff() {
        let packets = simulate([.voidFix]).packets
        #expect(sentences(packets).contains { $0.hasPrefix("$GPGGA") && $0.contains(",W,0,") })
        #expect(packets.contains { if case .gnss(let g) = $0 { g.receiverMethod == 0 } else { false } })
    }

    @Test func outagesStartWithAColdStart() {
        let packets = simulate([.outage]).packets
        let firstFix = packets.first { $0.type == .gnss }?.elapsed ?? 0
        #expect(firstFix >= 60_000 && firstFix <= 180_000)
        #expect(packets.first { $0.type == .depth }?.elapsed ?? 1 < 2000, "depths go on")
    }

    @Test func theSecondSourceIsLateAndDeep() {
        let (packets, truth) = simulate([.secondDepth], truth: true)
        let relays = sentences(packets).filter { $0.hasPrefix("$IIDPT,") }
        #expect(relays.count == truth.count)
    }

    @Test func theCounterWrapsOnceWhileADepthIsWritten() {
        let (packets, truth) = simulate([.wrap], truth: true)
        let elapsed = packets.map(\.elapsed).filter { $0 != 0 }
        let wraps = zip(elapsed, elapsed.dropFirst()).filter { $0.0 > $0.1 }
        #expect(wraps.count == 2, "into the wrap with the packet in flight, and back")
        #expect(elapsed.first ?? 0 > 4_000_000_000)
        #expect(truth.contains { $0.elapsed < 100_000 } && truth.contains { $0.elapsed > 4_000_000_000 })
    }

    @Test func duplicatesRepeatTheSameValueLater() {
        let depths = simulate([.duplicate]).packets.compactMap { p -> Depth? in
            if case .depth(let d) = p { d } else { nil }
        }
        let repeats = zip(depths, depths.dropFirst()).filter { $0.0.depth == $0.1.depth }
        #expect(repeats.count > 20)
        #expect(repeats.allSatisfy { (100...400).contains($0.1.time.elapsed - $0.0.time.elapsed) })
    }

    @Test func truthIsOnePingPerDepthWithItsFixGap() {
        let (packets, truth) = simulate([], seconds: 120, truth: true)
        #expect(truth.count == packets.count { $0.type == .depth })
        #expect(truth.dropFirst().allSatisfy { ($0.fixGap ?? 9) <= 1 })
        #expect(truth.first?.fixGap == nil, "stamped 0 by the logger: no usable report at the first ping")
        #expect(truth.first?.jsonLine.hasPrefix("{\"t\": 1577836800.0, \"lat\": ") == true)
    }
}
