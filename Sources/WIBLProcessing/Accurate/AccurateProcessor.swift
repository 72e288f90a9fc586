import JSONValue
import NIOCore
import WIBLFormat

/// Accurate mode (`"mode": "accurate"`): the same inputs, checks and outputs as the reference
/// processing, but without the original's errors (`processing.md` §7–§9, §15):
///
/// - a step back of the elapsed counter is a wrap only when it is nearly 2^width; smaller steps
///   are out-of-order arrival, and every observation is placed by its own time;
/// - NMEA2000 "no data" values (depths, SystemTime, GNSS) are dropped, as are time reports that
///   disagree with both neighbours;
/// - void fixes (GNSS method "no GNSS"/error/unavailable, GGA quality 0 or 6–8, GLL status `V`)
///   are not positions;
/// - a sounding is interpolated only between two time reports and two position reports that are
///   at most `gap_limit_seconds` apart; otherwise it is left out and counted;
/// - one depth per ping: repeats are dropped and, when several sources report the same ping, the
///   preferred one is kept; the transducer offset is applied when asked;
/// - data from `bad_talkers` is ignored.
///
/// Soundings come out in time order. A lineage record (`accurate`) says what was done.
func processAccurately(
    _ decoded: [Packet], configuration: ProcessingConfiguration, options: ProcessingOptions
) throws(ProcessingError) -> ProcessedFile {
    var builder = AccurateSeriesBuilder(configuration: configuration, options: options)
    return try builder.run(decoded)
}

/// Time sources in the order of `processing.md` §5.
enum AccurateTimeSource: String, CaseIterable {
    case systemTime = "SystemTime"
    case gnss = "GNSS"
    case zda = "ZDA"
    case rmc = "RMC"
}

/// A point of a time or position table: elapsed ms (unwrapped) and one or two values.
struct SamplePoint {
    var x: Double
    var a: Double
    var b: Double = 0
}

/// One depth observation before the choice of one per ping.
struct DepthObservation {
    var x: Double
    var z: Double
    /// Index into the builder's stream list (source kind + talker).
    var stream: Int
}

/// Tells real counter wraps from out-of-order packets (accurate mode).
struct CounterUnwrapper {
    let quantum: Double
    var offset = 0.0
    var latest: Double?
    var wraps = 0
    var stepsBack = 0

    /// The unwrapped elapsed time of a stored value. A step back by more than half the counter's
    /// range is a wrap; a smaller one is a packet that arrived out of order; a step forward by more
    /// than half the range is a late packet from before the last wrap.
    mutating func x(_ elapsed: Double) -> Double {
        var x = elapsed + offset
        guard let last = latest else {
            latest = x
            return x
        }
        if x < last - quantum / 2 {
            offset += quantum
            x += quantum
            wraps += 1
        } else if x > last + quantum / 2 {
            x -= quantum
            stepsBack += 1
        } else if x < last {
            stepsBack += 1
        }
        latest = max(last, x)
        return x
    }
}

struct AccurateSeriesBuilder {
    let configuration: ProcessingConfiguration
    let options: ProcessingOptions
    var settings: AccurateSettings { configuration.accurate }
    var lineage: [LineageRecord] = []
    var warnings: [ProcessingWarning] = []
    var leftOut = SoundingsLeftOut()
    var faults: [String: [FaultKind: Int]] = [:]
    var counts: [String: Int] = [:]

    // Tables.
    var times: [AccurateTimeSource: [SamplePoint]] = [:]
    var seen: Set<AccurateTimeSource> = []
    var positions: [SamplePoint] = []
    var depths: [DepthObservation] = []
    var streams: [(kind: DepthSourceKind, talker: String)] = []
    var headings: [SamplePoint] = []
    var temperatures: [SamplePoint] = []
    var winds: [SamplePoint] = []

    // What was dropped that is not a sounding.
    var voidFixes = 0
    var noDataPositions = 0
    var noDataTimes = 0
    var inconsistentTimes = 0
    var badTalkerReports = 0
    var counter: CounterUnwrapper

    init(configuration: ProcessingConfiguration, options: ProcessingOptions) {
        self.configuration = configuration
        self.options = options
        self.counter = CounterUnwrapper(quantum: configuration.elapsedTimeQuantum)
    }

    mutating func run(_ decoded: [Packet]) throws(ProcessingError) -> ProcessedFile {
        // The same checks, in the same order, as the reference processing (P12).
        var algorithms: [AlgorithmRequest] = []
        for packet in decoded {
            switch packet {
            case .serialiserVersion(let v) where v.ordinal > 1003:
                throw .newerDataFile(major: v.major, minor: v.minor)
            case .algorithmRequest(let request) where !algorithms.contains(request):
                algorithms.append(request)
            default:
                break
            }
        }
        let parameters = try AlgorithmRegistry.checkedParameters(of: algorithms, fileName: options.fileName)
        var packets = decoded
        for (request, parsed) in zip(algorithms, parameters) where request.name == "nodatareject" {
            let (kept, comment) = NoDataReject.run(packets, nowMicroseconds: options.nowMicroseconds)
            packets = kept
            record(request.name, parsed, AlgorithmRegistry.algorithms[request.name]?.version ?? "1.0.0", comment)
        }

        var loggerVersion = ""
        var metadata: Metadata?
        var jsonMetadata: TextPayload?
        var setups: [TextPayload] = []
        for (index, packet) in packets.enumerated() {
            switch packet {
            case .serialiserVersion(let v):
                loggerVersion = "\(v.major).\(v.minor)/\(v.nmea2000)/\(v.nmea0183)"
            case .metadata(let m):
                metadata = m
            case .jsonMetadata(let text):
                jsonMetadata = text
            case .setup(let text):
                setups.append(text)
            case .systemTime(let p):
                seen.insert(.systemTime)
                guard let x = try unwrap(p.elapsed, index) else { continue }
                if let t = Self.validTime(date: p.date, seconds: p.timestamp) {
                    times[.systemTime, default: []].append(SamplePoint(x: x, a: t))
                } else {
                    noDataTimes += 1
                }
            case .gnss(let p):
                seen.insert(.gnss)
                guard let x = try unwrap(p.time.elapsed, index) else { continue }
                if let t = Self.validTime(date: p.msgDate, seconds: p.msgTimestamp) {
                    times[.gnss, default: []].append(SamplePoint(x: x, a: t))
                }
                if !Self.validCoordinates(p.latitude, p.longitude) {
                    noDataPositions += 1
                } else if [0, 14, 15].contains(p.receiverMethod) {
                    voidFixes += 1
                } else {
                    positions.append(SamplePoint(x: x, a: p.latitude, b: p.longitude))
                }
            case .depth(let p):
                guard let x = try unwrap(p.time.elapsed, index) else {
                    leftOut[.noElapsed] += 1
                    continue
                }
                guard p.depth.isFinite, p.depth >= 0, p.depth < 42_949_672.0 else {
                    leftOut[.noData] += 1
                    continue
                }
                var z = p.depth
                // Offset: int16 × 0.001 m on the bus; 32.765…32.767 are its reserved values.
                if settings.appliesDPTOffset, p.offset.isFinite, abs(p.offset) < 32.765 { z += p.offset }
                depths.append(DepthObservation(x: x, z: z, stream: stream(.nmea2000, "")))
            case .serialString(let s):
                try sentence(s, index)
            default:
                if packet.elapsed != 0 { _ = try unwrap(packet.elapsed, index) }
            }
        }

        // The time source: the first of §5 that has usable reports.
        guard !seen.isEmpty else { throw .noTimeSource }
        guard !depths.isEmpty || leftOut.total > 0 else { throw .noData(algorithm: nil) }
        var source: AccurateTimeSource?
        var timeTable: [SamplePoint] = []
        for candidate in AccurateTimeSource.allCases {
            guard let points = times[candidate], !points.isEmpty else { continue }
            let consistent = Self.consistentTimes(Self.sorted(points))
            inconsistentTimes += points.count - consistent.count
            if !consistent.isEmpty {
                source = candidate
                timeTable = consistent
                break
            }
        }
        guard let source else {
            throw .noTimeReference(
                source: AccurateTimeSource.allCases.first { seen.contains($0) }?.rawValue ?? "SystemTime")
        }
        guard !positions.isEmpty else { throw .noPosition }
        let positionTable = Self.merged(Self.sorted(positions))

        // One depth per ping, then time and position where both are covered.
        let chosen = choosePings(Self.sortedDepths(depths))
        let gap = settings.gapLimitSeconds * 1000
        var depth = DepthSeries()
        var timeCursor = Bracket()
        var positionCursor = Bracket()
        for observation in chosen {
            guard let t = timeCursor.interpolate(timeTable, at: observation.x, gapLimit: gap) else {
                leftOut[.noTime] += 1
                continue
            }
            guard let p = positionCursor.interpolatePosition(positionTable, at: observation.x, gapLimit: gap) else {
                leftOut[.noPosition] += 1
                continue
            }
            depth.t.append(t)
            depth.lat.append(p.lat)
            depth.lon.append(p.lon)
            depth.z.append(observation.z)
        }
        func auxiliary(_ points: [SamplePoint], pair: Bool) -> AuxiliarySeries {
            var series = AuxiliarySeries()
            var first: [Double] = []
            var second: [Double] = []
            var timeCursor = Bracket()
            var positionCursor = Bracket()
            for point in Self.sorted(points) {
                guard let t = timeCursor.interpolate(timeTable, at: point.x, gapLimit: gap),
                    let p = positionCursor.interpolatePosition(positionTable, at: point.x, gapLimit: gap)
                else { continue }
                series.t.append(t)
                series.lat.append(p.lat)
                series.lon.append(p.lon)
                first.append(point.a)
                second.append(point.b)
            }
            series.values = pair ? [first, second] : [first]
            return series
        }

        let input = depths.count + leftOut.total
        record(
            "accurate", accurateParameters(), "1.0.0",
            "Kept \(depth.count) of \(input) depth observations; left out: \(leftOut). Time source \(source.rawValue); "
                + "ignored \(voidFixes) void fixes, \(noDataPositions) no-data positions, "
                + "\(noDataTimes + inconsistentTimes) unusable time reports, \(badTalkerReports) reports from bad talkers; "
                + "\(counter.wraps) counter wraps, \(counter.stepsBack) out-of-order steps.")
        guard depth.count > 0 else { throw .noSoundingKept(leftOut: leftOut) }
        for (request, parsed) in zip(algorithms, parameters) where request.name == "deduplicate" {
            let (kept, comment) = Deduplicate.run(depth)
            guard kept.count > 0 else { throw .noData(algorithm: request.name) }
            depth = kept
            record(request.name, parsed, AlgorithmRegistry.algorithms[request.name]?.version ?? "1.0.0", comment)
        }

        var loggerName = metadata?.loggerName
        var platformName = metadata?.shipName
        if let m = metadata, m.loggerName != m.shipName,
            setups.contains(where: { setup in
                guard let json = try? JSONValue.parse(setup.bytes.readableBytesView),
                    let id = json["uniqueID"]?.stringValue, let ship = json["shipname"]?.stringValue
                else { return false }
                return id == m.shipName && ship == m.loggerName
            })
        {
            loggerName = m.shipName
            platformName = m.loggerName
            warnings.append(.metadataSwapped(uniqueID: m.shipName, shipName: m.loggerName))
        }
        var result = ProcessedFile(
            loggerName: loggerName, platformName: platformName, loggerVersion: loggerVersion,
            jsonMetadata: jsonMetadata, algorithms: algorithms, depth: depth, lineage: lineage)
        result.heading = auxiliary(headings, pair: false)
        result.waterTemperature = auxiliary(temperatures, pair: false)
        result.wind = auxiliary(winds, pair: true)
        result.timeSource = source.rawValue
        result.leftOut = leftOut
        var statistics: [NameStatistics] = []
        for name in Set(counts.keys).union(faults.keys).sorted() {
            var entry = NameStatistics(name: name)
            entry.observed = counts[name] ?? 0
            entry.faults = faults[name] ?? [:]
            statistics.append(entry)
            for kind in FaultKind.allCases {
                if let count = entry.faults[kind], count > 0 {
                    warnings.append(.faults(name: name, kind: kind, count: count))
                }
            }
        }
        result.statistics = statistics
        result.warnings = warnings
        return result
    }

    // MARK: Observations

    /// The unwrapped elapsed time, or `nil` for a packet without one (stored 0).
    mutating func unwrap(_ stored: UInt32, _ index: Int) throws(ProcessingError) -> Double? {
        guard stored != 0 else { return nil }
        if Double(stored) >= configuration.elapsedTimeQuantum {
            throw .elapsedWidthMismatch(packetIndex: index, elapsed: stored, width: configuration.elapsedTimeWidth)
        }
        return counter.x(Double(stored))
    }

    /// The index of a depth stream (kind and talker), added on first use.
    mutating func stream(_ kind: DepthSourceKind, _ talker: String) -> Int {
        if let index = streams.firstIndex(where: { $0.kind == kind && $0.talker == talker }) { return index }
        streams.append((kind, talker))
        return streams.count - 1
    }

    mutating func sentence(_ s: SerialString, _ index: Int) throws(ProcessingError) {
        let reading = s.data.withUnsafeReadableBytes { AccurateSentence.read($0) }
        counts[reading.name, default: 0] += 1
        if reading.name == "ZDA" { seen.insert(.zda) } else if reading.name == "RMC" { seen.insert(.rmc) }
        guard let x = try unwrap(s.elapsed, index) else {
            if case .depth = reading.value { leftOut[.noElapsed] += 1 }
            return
        }
        if settings.badTalkers.contains(reading.talker) {
            switch reading.value {
            case .depth: leftOut[.badTalker] += 1
            case .nothing, .fault: break
            default: badTalkerReports += 1
            }
            return
        }
        switch reading.value {
        case .fault(let kind):
            faults[reading.name, default: [:]][kind, default: 0] += 1
        case .time(let source, let microseconds):
            times[source, default: []].append(SamplePoint(x: x, a: Double(microseconds) / 1e6))
        case .position(let lat, let lon):
            if Self.validCoordinates(lat, lon) {
                positions.append(SamplePoint(x: x, a: lat, b: lon))
            } else {
                noDataPositions += 1
            }
        case .voidFix:
            voidFixes += 1
        case .depth(let kind, let z, let offset):
            guard z.isFinite, z >= 0 else {
                leftOut[.noData] += 1
                return
            }
            var value = z
            if settings.appliesDPTOffset, let offset, abs(offset) < 100 { value += offset }
            depths.append(DepthObservation(x: x, z: value, stream: stream(kind, reading.talker)))
        case .heading(let h):
            headings.append(SamplePoint(x: x, a: h))
        case .temperature(let t):
            temperatures.append(SamplePoint(x: x, a: t))
        case .wind(let direction, let speed):
            winds.append(SamplePoint(x: x, a: direction, b: speed))
        case .nothing:
            break
        }
    }

    /// Keeps one observation per ping: repeats of a value by one stream within the ping window are
    /// duplicates; of the streams reporting within the window, the most preferred is kept.
    mutating func choosePings(_ sorted: [DepthObservation]) -> [DepthObservation] {
        let window = settings.pingWindowSeconds * 1000
        func rank(_ stream: Int) -> Int {
            let kind = streams[stream].kind
            let base = settings.depthPreference.firstIndex(of: kind) ?? settings.depthPreference.count
            return base * 1000 + stream
        }
        var kept: [DepthObservation] = []
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, sorted[end].x - sorted[start].x <= window { end += 1 }
            let best = sorted[start..<end].map { rank($0.stream) }.min() ?? 0
            var last: DepthObservation?
            for observation in sorted[start..<end] {
                if rank(observation.stream) != best {
                    leftOut[.otherSource] += 1
                } else if let previous = last, previous.z == observation.z, observation.x - previous.x <= window {
                    leftOut[.duplicate] += 1
                } else {
                    kept.append(observation)
                    last = observation
                }
            }
            start = end
        }
        return kept
    }

    func accurateParameters() -> [AlgorithmParameter] {
        var parameters = [
            AlgorithmParameter(key: "gap_limit_seconds", value: "\(settings.gapLimitSeconds)"),
            AlgorithmParameter(key: "ping_window_seconds", value: "\(settings.pingWindowSeconds)"),
            AlgorithmParameter(key: "apply_dpt_offset", value: settings.appliesDPTOffset ? "true" : "false"),
            AlgorithmParameter(
                key: "depth_preference", value: settings.depthPreference.map(\.rawValue).joined(separator: ">")),
        ]
        if !settings.badTalkers.isEmpty {
            parameters.append(AlgorithmParameter(key: "bad_talkers", value: settings.badTalkers.joined(separator: " ")))
        }
        return parameters
    }

    mutating func record(_ name: String, _ parameters: [AlgorithmParameter], _ version: String, _ comment: String) {
        lineage.append(
            LineageRecord(
                name: name, parameters: parameters, version: version, comment: comment,
                timestampMicroseconds: options.nowMicroseconds))
    }

    // MARK: Validity

    /// Seconds since 1970 of an NMEA2000 date/time pair, or `nil` for "no data": a reserved date
    /// (0xFFFD…0xFFFF), a time of day outside 0…86400 s, or the 2106 value of an all-ones clock.
    static func validTime(date: UInt16, seconds: Double) -> Double? {
        guard date < 0xFFFD, seconds.isFinite, seconds >= 0, seconds < 86_400 else { return nil }
        if date == 49710 && seconds == 23295.0 { return nil }
        return Double(date) * 86_400.0 + seconds
    }

    /// Whether a latitude/longitude pair is a position (not −1e9, not out of range, not 0/0).
    static func validCoordinates(_ lat: Double, _ lon: Double) -> Bool {
        lat.isFinite && lon.isFinite && abs(lat) <= 90 && abs(lon) <= 180 && !(lat == 0 && lon == 0)
    }

    // MARK: Tables

    static func sorted(_ points: [SamplePoint]) -> [SamplePoint] {
        points.enumerated().sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }.map(\.element)
    }

    static func sortedDepths(_ observations: [DepthObservation]) -> [DepthObservation] {
        observations.enumerated().sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }.map(\.element)
    }

    /// Points at the same elapsed time become one (their mean).
    static func merged(_ points: [SamplePoint]) -> [SamplePoint] {
        var result: [SamplePoint] = []
        var count = 0.0
        for point in points {
            if let last = result.last, last.x == point.x {
                count += 1
                result[result.count - 1].a += (point.a - last.a) / count
                result[result.count - 1].b += (point.b - last.b) / count
            } else {
                result.append(point)
                count = 1
            }
        }
        return result
    }

    /// Time reports that agree with their neighbourhood: the offset between real time and the
    /// elapsed counter (`t − x / 1000`) may differ from the median offset of the reports around it
    /// (five on each side) by at most 1 s. "No data" values that slipped through (a date in 2106,
    /// a receiver's stale clock) stand out and are dropped; drift of the logger's clock does not.
    static func consistentTimes(_ points: [SamplePoint]) -> [SamplePoint] {
        let merged = merged(points)
        guard merged.count > 1 else { return merged }
        let offsets = merged.map { $0.a - $0.x / 1000 }
        var result: [SamplePoint] = []
        for i in merged.indices {
            let window = offsets[max(0, i - 5)...min(offsets.count - 1, i + 5)].sorted()
            let median =
                window.count % 2 == 1
                ? window[window.count / 2] : (window[window.count / 2 - 1] + window[window.count / 2]) / 2
            if abs(offsets[i] - median) <= 1 { result.append(merged[i]) }
        }
        return result
    }
}

/// Finds the two table points around a sounding, for soundings in increasing x.
struct Bracket {
    var index = 0

    /// The index `j` with `table[j].x <= x < table[j + 1].x` (or `x == table.last.x`), if both
    /// neighbours exist and are at most `gapLimit` apart.
    mutating func find(_ table: [SamplePoint], _ x: Double, gapLimit: Double) -> Int? {
        guard let first = table.first, let last = table.last, x >= first.x, x <= last.x else { return nil }
        if index >= table.count { index = table.count - 1 }
        while index > 0, table[index].x > x { index -= 1 }
        while index + 1 < table.count, table[index + 1].x <= x { index += 1 }
        if table[index].x == x { return index }
        guard index + 1 < table.count, table[index + 1].x - table[index].x <= gapLimit else { return nil }
        return index
    }

    /// Time by linear interpolation between the bracketing reports.
    mutating func interpolate(_ table: [SamplePoint], at x: Double, gapLimit: Double) -> Double? {
        guard let j = find(table, x, gapLimit: gapLimit) else { return nil }
        let p = table[j]
        guard p.x != x, j + 1 < table.count else { return p.a }
        let q = table[j + 1]
        return p.a + (q.a - p.a) * (x - p.x) / (q.x - p.x)
    }

    /// Latitude and longitude by linear interpolation (across the antimeridian when the shorter way
    /// crosses it).
    mutating func interpolatePosition(
        _ table: [SamplePoint], at x: Double, gapLimit: Double
    ) -> (lat: Double, lon: Double)? {
        guard let j = find(table, x, gapLimit: gapLimit) else { return nil }
        let p = table[j]
        guard p.x != x, j + 1 < table.count else { return (p.a, p.b) }
        let q = table[j + 1]
        let f = (x - p.x) / (q.x - p.x)
        var dLon = q.b - p.b
        if dLon > 180 { dLon -= 360 } else if dLon < -180 { dLon += 360 }
        var lon = p.b + dLon * f
        if lon > 180 { lon -= 360 } else if lon < -180 { lon += 360 }
        return (p.a + (q.a - p.a) * f, lon)
    }
}
