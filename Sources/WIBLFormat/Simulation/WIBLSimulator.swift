import NIOCore
import WIBLSystem

/// A small, fast, seedable generator (SplitMix64), so simulated files are the same for a seed on
/// every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A normal deviate (Box–Muller).
    public mutating func gaussian(sigma: Double) -> Double {
        let u1 = max(uniform(), 0x1p-53)
        let u2 = uniform()
        return sigma * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// What the simulator writes (`wibl-format.md` §8, the original `wibl datasim`).
public struct SimulatorOptions: Sendable, Hashable {
    /// Which instruments are simulated.
    public enum Sources: String, Sendable, Hashable, CaseIterable {
        /// SystemTime + GNSS + Depth packets.
        case nmea2000
        /// ZDA + GGA + DBT (+ HDT) sentences in SerialString packets.
        case nmea0183
        /// Both.
        case mixed
    }

    /// Simulated duration in seconds.
    public var durationSeconds: Double = 600
    /// Random seed.
    public var seed: UInt64 = 1
    /// Serialiser version (1.0–1.3).
    public var version = SerialiserVersion(major: 1, minor: 3, imu: .init(1, 0, 0))
    /// Which instruments are simulated.
    public var sources: Sources = .mixed
    /// Write HDT heading sentences (NMEA0183 sources only).
    public var includeHeading = false
    /// JSON metadata text to embed in a JSONMetadata packet.
    public var jsonMetadata: String?
    /// Logger unique id (first Metadata string).
    public var loggerID = "5f2b9b0e-3c1d-4e8a-9b7a-1c2d3e4f5a6b"
    /// Ship name (second Metadata string).
    public var shipName = "WIBL-Simulator"
    /// Probability that a depth is written twice.
    public var duplicateDepthProbability = 0.0
    /// Probability that a GNSS/Depth/SystemTime packet carries NMEA2000 "no data" values.
    public var noDataProbability = 0.0
    /// Faults to inject (``SimulatedFault``); none by default.
    public var faults = FaultSettings()
    /// Keep the true pings (``WIBLSimulator/truth``).
    public var recordsTruth = false

    /// Whether the file is written as real instruments write it rather than as the original
    /// simulator did: true with faults or truth. GGA then carries real minutes, not the original's
    /// fraction of a degree (`wibl-format.md` §8), so that positions can be compared with the truth.
    public var isRealistic: Bool { recordsTruth || !faults.isEmpty }

    /// Default options.
    public init() {}
}

/// Generates a realistic synthetic `.wibl` file packet by packet, deterministically for a seed:
/// a vessel moving from 43 N 70 W, time reports and positions every second, depths every 1–2 s
/// (`wibl-format.md` §8).
public struct WIBLSimulator: Sendable {
    /// The options the file is generated from.
    public let options: SimulatorOptions
    private var random: SplitMix64
    private var pending: [Packet] = []
    private var pendingIndex = 0
    private var tick: Int64 = 0  // microseconds since start
    private var nextTime: Int64 = 0
    private var nextPosition: Int64 = 0
    private var nextDepth: Int64 = 0
    private var latitude = 43.0
    private var longitude = -70.0
    private var trueDepth = 10.0
    private var heading = 45.0
    private var started = false
    private var finished = false
    private var injector: FaultInjector?
    private var truthPings: [TruthPing] = []
    private var validPositions = ReportTimes()
    private var validTimes = ReportTimes()
    private var lastPositionTick: Int64 = 0
    private var lastDepthTick: Int64 = -1

    static let start: Int64 = 1_577_836_800  // 2020-01-01T00:00:00Z
    static let step = 3.2708e-6

    /// Creates a simulator.
    public init(options: SimulatorOptions) {
        self.options = options
        self.random = SplitMix64(seed: options.seed)
        if !options.faults.isEmpty {
            var faults = FaultInjector(
                settings: options.faults, seed: options.seed, durationSeconds: options.durationSeconds)
            if let target = faults.wrapTarget, let tick = Self.depthTick(atOrAfter: target, options: options) {
                faults.placeWrap(atTick: tick)
            }
            injector = faults
        }
    }

    /// The true pings so far (all of them once ``next()`` returned `nil`), when
    /// ``SimulatorOptions/recordsTruth`` is set; each with the gap between the valid time and
    /// position reports around it.
    public var truth: [TruthPing] {
        var pings = truthPings
        var p = 0
        var t = 0
        for i in pings.indices {
            let tick = Int64(((pings[i].t - Double(Self.start)) * 1e6).rounded())
            let position = validPositions.gap(around: tick, from: &p)
            let time = validTimes.gap(around: tick, from: &t)
            if let position, let time { pings[i].fixGap = max(position, time) }
        }
        return pings
    }

    /// The next packet, or `nil` when the duration is reached.
    public mutating func next() -> Packet? {
        while pendingIndex >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            if finished { return nil }
            produce()
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    /// Writes the whole file, calling `write` with chunks of about `chunkSize` bytes.
    public mutating func write(chunkSize: Int = 1 << 20, _ write: (ByteBuffer) throws -> Void) rethrows {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(chunkSize + 256)
        while let packet = next() {
            WIBLEncoder.append(packet, to: &buffer)
            if buffer.readableBytes >= chunkSize {
                try write(buffer)
                buffer.clear()
            }
        }
        if buffer.readableBytes > 0 { try write(buffer) }
    }

    private var elapsed: UInt32 { injector?.elapsed(atTick: tick) ?? UInt32(truncatingIfNeeded: tick / 1000) }
    private var realTime: (date: UInt16, seconds: Double) {
        let total = Self.start * 1_000_000 + tick
        let days = total / 86_400_000_000
        return (UInt16(truncatingIfNeeded: days), Double(total - days * 86_400_000_000) / 1e6)
    }
    private var usesN2K: Bool { options.sources != .nmea0183 }
    private var uses0183: Bool { options.sources != .nmea2000 }

    private mutating func produce() {
        if !started {
            started = true
            pending.append(.serialiserVersion(options.version))
            pending.append(.metadata(Metadata(loggerName: options.loggerID, shipName: options.shipName)))
            if let text = options.jsonMetadata { pending.append(.jsonMetadata(TextPayload(text))) }
            return
        }
        let next = min(nextTime, nextPosition, nextDepth)
        guard Double(next) / 1e6 <= options.durationSeconds else {
            finished = true
            return
        }
        tick = next
        let groupStart = pending.count
        defer { injector?.reorder(&pending, from: groupStart, tick: tick) }
        if next == nextTime {
            emitTime()
            nextTime += 1_000_000
        }
        if next == nextPosition {
            emitPosition()
            nextPosition += 1_000_000
        }
        if next == nextDepth {
            lastDepthTick = tick
            emitDepth()
            nextDepth += 1_000_000 + Int64(random.uniform() * 1_000_000)
        }
    }

    private mutating func noData() -> Bool {
        options.noDataProbability > 0 && random.uniform() < options.noDataProbability
    }

    private mutating func emitTime() {
        let (date, seconds) = realTime
        if injector?.inOutage(tick) == true { return }
        var valid = !usesN2K
        if usesN2K {
            if injector?.happens(.nodata) == true, var faults = injector {
                pending.append(.systemTime(faults.noDataSystemTime(elapsed: elapsed)))
                injector = faults
            } else if noData() {
                pending.append(.systemTime(SystemTime(date: 49710, timestamp: 23295.0, elapsed: 4_294_967, source: 0)))
            } else {
                pending.append(.systemTime(SystemTime(date: date, timestamp: seconds, elapsed: elapsed, source: 0)))
                valid = true
            }
        }
        if valid, options.recordsTruth, elapsed != 0 { validTimes.ticks.append(tick) }
        if uses0183 {
            let (y, m, d) = UTCCalendar.civil(days: Int64(date))
            sentence("GPZDA,\(hhmmss(seconds)),\(pad(d, 2)),\(pad(m, 2)),\(y),00,00")
        }
    }

    private mutating func emitPosition() {
        let (dLat, dLon) = positionStep(at: tick)
        latitude += dLat
        longitude += dLon
        heading = (heading + random.gaussian(sigma: 0.5)).truncatingRemainder(dividingBy: 360)
        lastPositionTick = tick
        if injector?.inOutage(tick) == true { return }
        var latitude = latitude
        var longitude = longitude
        var valid = true
        if injector?.happens(.voidFix) == true, var faults = injector {
            (latitude, longitude) = faults.voidPosition(latitude, longitude)
            injector = faults
            valid = false
        }
        let (date, seconds) = realTime
        if usesN2K {
            let bad = noData() || injector?.happens(.nodata) == true
            if bad && !uses0183 { valid = false }
            pending.append(
                .gnss(
                    GNSS(
                        time: TimeDatum(date: date, timestamp: seconds, elapsed: elapsed), msgDate: date,
                        msgTimestamp: seconds, latitude: bad ? -1e9 : latitude, longitude: bad ? -1e9 : longitude,
                        altitude: -19.323, receiverType: 0, receiverMethod: valid ? 2 : 0, numSVs: 12,
                        horizontalDOP: 1.5,
                        positionDOP: 2.2, separation: 22.3453, numRefStations: 1, refStationType: 4,
                        refStationID: 12312, correctionAge: 2.32)))
        }
        if uses0183 {
            // The original simulator's quirk: the "minutes" field holds the fraction of a degree.
            let realistic = options.isRealistic
            func field(_ value: Double, _ width: Int) -> String {
                if realistic {
                    let microMinutes = Int64((abs(value) * 60e6).rounded())
                    return pad(microMinutes / 60_000_000, width)
                        + fixed(Double(microMinutes % 60_000_000) / 1e6, integerWidth: 2, decimals: 6)
                }
                let degrees = Int(abs(value))
                let fraction = abs(value) - Double(degrees)
                return pad(Int64(degrees), width) + fixed(fraction * 100, integerWidth: 2, decimals: 6)
            }
            let ns = latitude >= 0 ? "N" : "S"
            let ew = longitude >= 0 ? "E" : "W"
            let quality = valid ? 3 : 0
            sentence(
                "GPGGA,\(hhmmss(seconds)),\(field(latitude, 2)),\(ns),\(field(longitude, 3)),\(ew),\(quality),12,1.0,-19.5,M,22.5,M,0.0,0000"
            )
            if options.includeHeading {
                sentence(
                    "GPHDT,\(fixed((heading + 360).truncatingRemainder(dividingBy: 360), integerWidth: 1, decimals: 1)),T"
                )
            }
        }
        if valid, options.recordsTruth, elapsed != 0 { validPositions.ticks.append(tick) }
    }

    private mutating func emitDepth() {
        trueDepth = max(0.5, trueDepth + random.gaussian(sigma: 0.02))
        if options.recordsTruth { truthPings.append(truePing()) }
        let groupStart = pending.count
        defer { if injector != nil { injectDepthFaults(from: groupStart) } }
        let copies =
            options.duplicateDepthProbability > 0 && random.uniform() < options.duplicateDepthProbability ? 2 : 1
        for _ in 0..<copies {
            if usesN2K {
                var depth = noData() ? -1e9 : trueDepth
                if injector?.happens(.nodata) == true, var faults = injector {
                    depth = faults.noDataDepth()
                    injector = faults
                }
                let (date, seconds) = realTime
                pending.append(
                    .depth(
                        Depth(
                            time: TimeDatum(date: date, timestamp: seconds, elapsed: elapsed), depth: depth, offset: 0,
                            range: 200)))
            }
            if uses0183 {
                let measured = max(0.1, trueDepth + random.gaussian(sigma: 0.06))
                let feet = fixed(measured * 3.28084, integerWidth: 1, decimals: 1)
                let metres = fixed(measured, integerWidth: 1, decimals: 1)
                let fathoms = fixed(measured * 0.546807, integerWidth: 1, decimals: 1)
                sentence("SDDBT,\(feet),f,\(metres),M,\(fathoms),F")
            }
        }
    }

    /// The vessel at this tick: time, and the track between the position reports around it.
    private func truePing() -> TruthPing {
        let fraction = Double(tick - lastPositionTick) / 1e6
        let (dLat, dLon) = positionStep(at: lastPositionTick + 1_000_000)
        return TruthPing(
            t: Double(Self.start) + Double(tick) / 1e6, lat: latitude + fraction * dLat,
            lon: longitude + fraction * dLon,
            depth: trueDepth, elapsed: elapsed)
    }

    /// How far the vessel moves in the second before the position report at `tick`. The original
    /// simulator's vessel moves 3.2708e-6° north-east (south-east in odd hours); with faults or truth
    /// it sails at 2.5 m/s on a course that swings ±60° around north-east every 10 minutes, so that
    /// interpolating across a long gap is as wrong as it is at sea.
    private func positionStep(at tick: Int64) -> (Double, Double) {
        guard options.isRealistic else {
            let hour = Int(tick / 3_600_000_000)
            return (hour % 2 == 0 ? Self.step : -Self.step, Self.step)
        }
        let course = (45 + 60 * sin(2 * Double.pi * Double(tick) / 600e6)) * Double.pi / 180
        let metres = 2.5
        return (
            metres * cos(course) / 111_320, metres * sin(course) / (111_320 * cos(latitude * Double.pi / 180))
        )
    }

    /// The first tick at or after `target` µs that has a depth, in a simulation without faults:
    /// where a simulated wrap is placed (the simulator's own random sequence decides the ticks).
    static func depthTick(atOrAfter target: Int64, options: SimulatorOptions) -> Int64? {
        var plain = options
        plain.faults = FaultSettings()
        plain.recordsTruth = false
        var probe = WIBLSimulator(options: plain)
        while !probe.finished {
            probe.pending.removeAll(keepingCapacity: true)
            probe.produce()
            if probe.tick >= target, probe.lastDepthTick == probe.tick { return probe.tick }
        }
        return nil
    }

    /// Duplicated and second-source depths for the ping just made.
    private mutating func injectDepthFaults(from start: Int) {
        guard var faults = injector else { return }
        defer { injector = faults }
        if faults.happens(.duplicate) {
            let delay = UInt32(faults.uniform(100...400))
            for packet in pending[start...] { pending.append(packet.withElapsed(packet.elapsed &+ delay)) }
        }
        if faults.happens(.secondDepth) {
            let delay = UInt32(faults.uniform(150...350))
            let relayed = trueDepth + 0.4 + faults.uniform(-0.05...0.05)
            let body = "IIDPT,\(fixed(relayed, integerWidth: 1, decimals: 1)),0.0"
            pending.append(
                .serialString(
                    SerialString(elapsed: elapsed &+ delay, data: ByteBuffer(string: NMEA0183Checksum.sentence(body)))))
        }
    }

    private mutating func sentence(_ body: String) {
        pending.append(
            .serialString(SerialString(elapsed: elapsed, data: ByteBuffer(string: NMEA0183Checksum.sentence(body)))))
    }

    private func hhmmss(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let s = millis / 1000
        return pad(s / 3600, 2) + pad(s / 60 % 60, 2) + pad(s % 60, 2) + "." + pad(millis % 1000, 3)
    }
}

/// Zero-padded decimal.
func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// Fixed-point text without Foundation: `integerWidth` zero-padded digits, `decimals` decimals.
func fixed(_ value: Double, integerWidth: Int, decimals: Int) -> String {
    var scale: Int64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((abs(value) * Double(scale)).rounded())
    let text = pad(scaled / scale, integerWidth) + (decimals > 0 ? "." + pad(scaled % scale, decimals) : "")
    return value < 0 && scaled != 0 ? "-" + text : text
}
