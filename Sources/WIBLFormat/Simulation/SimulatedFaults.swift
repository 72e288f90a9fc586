import NIOCore

/// What real loggers do that the simulator can inject (`wibl simulate --faults`), each at a rate
/// that `--fault-rate NAME=R` changes.
public enum SimulatedFault: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Out-of-order arrival: a packet stamped a few ms later is written before others of the same
    /// moment (NMEA0183 sentences are stamped at `$` and written at the end of the line), so the
    /// elapsed times step back by 1–20 ms. Rate: probability per moment (a tick of the simulator).
    case reorder
    /// NMEA2000 "no data" values: depths of −1e9 or 42 949 672.92 m, SystemTime in 2106 or with
    /// date 0xFFFF, GNSS positions of −1e9. Rate: probability per NMEA2000 packet.
    case nodata
    /// Void fixes: GNSS method "no GNSS", GGA fix quality 0, with a position 100–1000 m off.
    /// Rate: probability per fix.
    case voidFix = "void-fix"
    /// GNSS outages (time and position): a cold start of 1–3 minutes, then outages of 1–3 minutes.
    /// Rate: probability per simulated minute that an outage starts.
    case outage
    /// A second, biased depth source: `$IIDPT` from an instrument display that relays each ping
    /// 150–350 ms late and 0.4 m too deep. Rate: probability per ping.
    case secondDepth = "second-depth"
    /// A real 2^32 ms counter wrap: the counter starts near its end and wraps while a sentence is
    /// in flight. Rate: probability that the file has a wrap.
    case wrap
    /// Duplicated pings: the sounder repeats its last depth 100–400 ms later. Rate: probability
    /// per ping.
    case duplicate

    /// The rate used when `--fault-rate` does not name the fault.
    public var defaultRate: Double {
        switch self {
        case .reorder: 0.2
        case .nodata: 0.05
        case .voidFix: 0.05
        case .outage: 0.1
        case .secondDepth: 1.0
        case .wrap: 1.0
        case .duplicate: 0.1
        }
    }

    /// Orders faults as listed.
    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }

    /// Parses `all` or a comma list of fault names; the failure names the first unknown entry.
    public static func parseList(_ text: String) -> Result<[SimulatedFault], FaultListError> {
        if text == "all" { return .success(allCases) }
        var faults: [SimulatedFault] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(part)
            guard let fault = SimulatedFault(rawValue: name) else { return .failure(FaultListError(name: name)) }
            if !faults.contains(fault) { faults.append(fault) }
        }
        return .success(faults.sorted())
    }
}

/// A fault name that is not one of ``SimulatedFault``.
public struct FaultListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The unknown name.
    public var name: String

    /// Creates the error.
    public init(name: String) { self.name = name }

    /// A sentence for the user.
    public var description: String {
        "unknown fault '\(name)'; use all or a comma list of "
            + SimulatedFault.allCases.map(\.rawValue).joined(separator: ", ") + "."
    }
}

/// Which faults are injected, and at what rate.
public struct FaultSettings: Sendable, Hashable {
    /// Rate per injected fault (see ``SimulatedFault`` for what the rate means for each).
    public var rates: [SimulatedFault: Double] = [:]

    /// No faults.
    public init() {}

    /// The given faults at their default rates.
    public init(_ faults: [SimulatedFault]) {
        for fault in faults { rates[fault] = fault.defaultRate }
    }

    /// Whether nothing is injected.
    public var isEmpty: Bool { rates.isEmpty }

    /// The rate of `fault`, 0 when it is not injected.
    public func rate(_ fault: SimulatedFault) -> Double { rates[fault] ?? 0 }
}

/// One simulated ping as it really was: before any fault, in real time and position.
public struct TruthPing: Sendable, Hashable {
    /// UNIX seconds.
    public var t: Double
    /// Degrees, positive north.
    public var lat: Double
    /// Degrees, positive east.
    public var lon: Double
    /// Metres below the transducer.
    public var depth: Double
    /// Seconds between the valid time and position reports around the ping (the longer of the
    /// two gaps), or `nil` when the ping lies before the first or after the last of them.
    public var fixGap: Double?
    /// The logger's elapsed counter at the ping (ms, as stored: wrapped at 2^32); `wibl accuracy`
    /// finds each ping's observations in the file by it.
    public var elapsed: UInt32

    /// Creates a ping.
    public init(t: Double, lat: Double, lon: Double, depth: Double, elapsed: UInt32, fixGap: Double? = nil) {
        self.t = t
        self.lat = lat
        self.lon = lon
        self.depth = depth
        self.elapsed = elapsed
        self.fixGap = fixGap
    }

    /// One line of the truth file:
    /// `{"t": …, "lat": …, "lon": …, "depth": …, "elapsed": …, "gap": …}`.
    public var jsonLine: String {
        let gap = fixGap.map { "\($0)" } ?? "null"
        return
            "{\"t\": \(t), \"lat\": \(lat), \"lon\": \(lon), \"depth\": \(depth), \"elapsed\": \(elapsed), \"gap\": \(gap)}"
    }
}

/// The fault schedule and the fault random stream of one simulation. It draws from its own
/// generator, so the simulator's own random sequence — and a file simulated without faults — is
/// unchanged.
struct FaultInjector: Sendable {
    let settings: FaultSettings
    var random: SplitMix64
    /// Counter value at tick 0 (ms); 2^32 − something when a wrap is simulated.
    private(set) var counterStart: UInt64 = 0
    /// Where a wrap should come (µs), when the file has one.
    let wrapTarget: Int64?
    /// The tick (µs) of the depth whose packets are in flight when the counter wraps.
    private(set) var wrapTick: Int64?
    /// GNSS outages, [start, end) in µs.
    let outages: [Range<Int64>]

    init(settings: FaultSettings, seed: UInt64, durationSeconds: Double) {
        self.settings = settings
        var random = SplitMix64(seed: seed ^ 0x5EED_FA17_0000_0013)
        let seconds = max(Int64(durationSeconds), 1)
        var wrapTarget: Int64?
        if settings.rate(.wrap) > 0, random.uniform() < settings.rate(.wrap) {
            // Between 10 % and 60 % of the way.
            wrapTarget = Int64(Double(seconds) * (0.1 + 0.5 * random.uniform()) * 1e6)
        }
        var outages: [Range<Int64>] = []
        let outageRate = settings.rate(.outage)
        if outageRate > 0 {
            let coldStart = Int64((60 + 120 * random.uniform()) * 1e6)
            outages.append(0..<coldStart)
            var minute: Int64 = 1
            while minute * 60 < seconds {
                if random.uniform() < outageRate {
                    let start = (minute * 60 + Int64(random.uniform() * 60)) * 1_000_000
                    let length = Int64((60 + 120 * random.uniform()) * 1e6)
                    if let last = outages.last, start <= last.upperBound {
                        outages[outages.count - 1] = last.lowerBound..<max(last.upperBound, start + length)
                    } else {
                        outages.append(start..<(start + length))
                    }
                }
                minute += 1
            }
        }
        self.random = random
        self.wrapTarget = wrapTarget
        self.outages = outages
    }

    /// Starts the counter so that it wraps 1 ms after the depth at `tick` arrived, while its
    /// packets are being written.
    mutating func placeWrap(atTick tick: Int64) {
        wrapTick = tick
        counterStart = (UInt64(1) << 32) - UInt64(tick / 1000) - 1
    }

    /// The logger's counter at `tick` µs, as the firmware stores it (wrapping at 2^32).
    func elapsed(atTick tick: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: counterStart &+ UInt64(tick / 1000))
    }

    /// Whether the GNSS receiver is out at `tick`.
    func inOutage(_ tick: Int64) -> Bool {
        outages.contains { $0.contains(tick) }
    }

    /// Draws whether `fault` happens now.
    mutating func happens(_ fault: SimulatedFault) -> Bool {
        let rate = settings.rate(fault)
        return rate > 0 && random.uniform() < rate
    }

    /// A uniform value in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * random.uniform()
    }

    /// A position 100–1000 m from (`lat`, `lon`) in a random direction (a void fix's position).
    mutating func voidPosition(_ lat: Double, _ lon: Double) -> (Double, Double) {
        let distance = uniform(100...1000)
        let bearing = uniform(0...(2 * Double.pi))
        let dLat = distance * cos(bearing) / 111_320
        let dLon = distance * sin(bearing) / (111_320 * cos(lat * Double.pi / 180))
        return (lat + dLat, lon + dLon)
    }

    /// A SystemTime with NMEA2000 "no data" values, received at `elapsed`.
    mutating func noDataSystemTime(elapsed: UInt32) -> SystemTime {
        random.uniform() < 0.5
            ? SystemTime(date: 49710, timestamp: 23295.0, elapsed: elapsed, source: 0)  // 2106-02-07
            : SystemTime(date: 0xFFFF, timestamp: -1e9, elapsed: elapsed, source: 0)
    }

    /// A "no data" depth: the library's −1e9, or the reserved 0xFFFFFFFC × 0.01 m.
    mutating func noDataDepth() -> Double {
        random.uniform() < 0.5 ? -1e9 : 42_949_672.92
    }

    /// After a moment's packets are made: out-of-order writing, as the firmware does (and always at
    /// the wrap). An NMEA0183 sentence is stamped when its `$` arrives and written when its line
    /// ends; an NMEA2000 packet that arrived 1–20 ms later in between is written first.
    mutating func reorder(_ group: inout [Packet], from start: Int, tick: Int64) {
        let forced = wrapTick == tick
        guard group.count - start >= 2, forced || happens(.reorder) else { return }
        let moved = group[start...].lastIndex { $0.type != .serialString } ?? group.count - 1
        let delay: UInt32 = forced ? 10 : UInt32(uniform(1...20))
        let packet = group.remove(at: moved).withElapsed(group[start].elapsed &+ delay)
        group.insert(packet, at: start)
    }
}

extension Packet {
    /// The packet stamped with another elapsed time (for the packet kinds the simulator writes).
    func withElapsed(_ elapsed: UInt32) -> Packet {
        switch self {
        case .systemTime(var p):
            p.elapsed = elapsed
            return .systemTime(p)
        case .depth(var p):
            p.time.elapsed = elapsed
            return .depth(p)
        case .gnss(var p):
            p.time.elapsed = elapsed
            return .gnss(p)
        case .serialString(var p):
            p.elapsed = elapsed
            return .serialString(p)
        default:
            return self
        }
    }
}

/// Gaps between valid reports, for ``TruthPing/fixGap``.
struct ReportTimes: Sendable {
    /// Ticks (µs) of valid reports, increasing.
    var ticks: [Int64] = []

    /// Seconds between the reports around `tick`, or `nil` outside them.
    func gap(around tick: Int64, from index: inout Int) -> Double? {
        while index < ticks.count, ticks[index] <= tick { index += 1 }
        guard index > 0, index < ticks.count || ticks[index - 1] == tick else { return nil }
        if ticks[index - 1] == tick { return 0 }
        return Double(ticks[index] - ticks[index - 1]) / 1e6
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
