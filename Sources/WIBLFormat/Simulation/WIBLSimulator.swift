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

    /// Default options.
    public init() {}
}

/// Generates a realistic synthetic `.wibl` file packet by packet, deterministically for a seed:
/// a vessel moving from 43 N 70 W, time reports and positions every second, depths every 1–2 s
/// (`wibl-format.md` §8).
public struct WIBLSimulator: Sendable {
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

    static let start: Int64 = 1_577_836_800  // 2020-01-01T00:00:00Z
    static let step = 3.2708e-6

    /// Creates a simulator.
    public init(options: SimulatorOptions) {
        self.options = options
        self.random = SplitMix64(seed: options.seed)
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

    private var elapsed: UInt32 { UInt32(truncatingIfNeeded: tick / 1000) }
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
        if next == nextTime {
            emitTime()
            nextTime += 1_000_000
        }
        if next == nextPosition {
            emitPosition()
            nextPosition += 1_000_000
        }
        if next == nextDepth {
            emitDepth()
            nextDepth += 1_000_000 + Int64(random.uniform() * 1_000_000)
        }
    }

    private mutating func noData() -> Bool {
        options.noDataProbability > 0 && random.uniform() < options.noDataProbability
    }

    private mutating func emitTime() {
        let (date, seconds) = realTime
        if usesN2K {
            if noData() {
                pending.append(.systemTime(SystemTime(date: 49710, timestamp: 23295.0, elapsed: 4_294_967, source: 0)))
            } else {
                pending.append(.systemTime(SystemTime(date: date, timestamp: seconds, elapsed: elapsed, source: 0)))
            }
        }
        if uses0183 {
            let (y, m, d) = UTCCalendar.civil(days: Int64(date))
            sentence("GPZDA,\(hhmmss(seconds)),\(pad(d, 2)),\(pad(m, 2)),\(y),00,00")
        }
    }

    private mutating func emitPosition() {
        let hour = Int(tick / 3_600_000_000)
        latitude += hour % 2 == 0 ? Self.step : -Self.step
        longitude += Self.step
        heading = (heading + random.gaussian(sigma: 0.5)).truncatingRemainder(dividingBy: 360)
        let (date, seconds) = realTime
        if usesN2K {
            let bad = noData()
            pending.append(
                .gnss(
                    GNSS(
                        time: TimeDatum(date: date, timestamp: seconds, elapsed: elapsed), msgDate: date,
                        msgTimestamp: seconds, latitude: bad ? -1e9 : latitude, longitude: bad ? -1e9 : longitude,
                        altitude: -19.323, receiverType: 0, receiverMethod: 2, numSVs: 12, horizontalDOP: 1.5,
                        positionDOP: 2.2, separation: 22.3453, numRefStations: 1, refStationType: 4,
                        refStationID: 12312, correctionAge: 2.32)))
        }
        if uses0183 {
            // The original simulator's quirk: the "minutes" field holds the fraction of a degree.
            func field(_ value: Double, _ width: Int) -> String {
                let degrees = Int(abs(value))
                let fraction = abs(value) - Double(degrees)
                return pad(Int64(degrees), width) + fixed(fraction * 100, integerWidth: 2, decimals: 6)
            }
            let ns = latitude >= 0 ? "N" : "S"
            let ew = longitude >= 0 ? "E" : "W"
            sentence(
                "GPGGA,\(hhmmss(seconds)),\(field(latitude, 2)),\(ns),\(field(longitude, 3)),\(ew),3,12,1.0,-19.5,M,22.5,M,0.0,0000"
            )
            if options.includeHeading {
                sentence(
                    "GPHDT,\(fixed((heading + 360).truncatingRemainder(dividingBy: 360), integerWidth: 1, decimals: 1)),T"
                )
            }
        }
    }

    private mutating func emitDepth() {
        trueDepth = max(0.5, trueDepth + random.gaussian(sigma: 0.02))
        let copies =
            options.duplicateDepthProbability > 0 && random.uniform() < options.duplicateDepthProbability ? 2 : 1
        for _ in 0..<copies {
            if usesN2K {
                let depth = noData() ? -1e9 : trueDepth
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
