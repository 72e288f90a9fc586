import JSONValue
import NIOCore
import WIBLFormat
import WIBLProcessing

#if canImport(Glibc)
    import Glibc
#endif

/// Errors of the accuracy comparison's inputs.
struct AccuracyInputError: Error, CustomStringConvertible {
    var description: String
}

/// Reads a truth file of `wibl simulate --truth`: one JSON object per line.
func readTruth(_ bytes: ByteBuffer, name: String) throws -> [TruthPing] {
    var pings: [TruthPing] = []
    var lineNumber = 0
    for line in bytes.readableBytesView.split(separator: UInt8(ascii: "\n")) {
        lineNumber += 1
        guard let json = try? JSONValue.parse(line), let t = json["t"]?.doubleValue, let lat = json["lat"]?.doubleValue,
            let lon = json["lon"]?.doubleValue, let depth = json["depth"]?.doubleValue,
            let elapsed = json["elapsed"]?.integerValue, let counter = UInt32(exactly: elapsed)
        else {
            throw AccuracyInputError(
                description: "\(name) line \(lineNumber) is not a truth record (t, lat, lon, depth, elapsed, gap).")
        }
        pings.append(
            TruthPing(t: t, lat: lat, lon: lon, depth: depth, elapsed: counter, fixGap: json["gap"]?.doubleValue))
    }
    guard !pings.isEmpty else { throw AccuracyInputError(description: "\(name) holds no true pings.") }
    return pings
}

/// A file whose valid depth observations carry the number of their true ping: each depth `z` of
/// ping `k` becomes `1000 × (k + 1) + z`, so that every output sounding can be traced back to its
/// ping whatever the processing did to its time and order. "No data" depths are left as they are
/// (the processing must still recognise them), as is everything that is not a depth.
struct TaggedFile {
    var file: WIBLFile
    /// Depth observations in the file, valid or not.
    var observations = 0
    /// Pings with at least one valid depth observation in the file.
    var observed: Set<Int> = []

    static let spacing = 1000.0

    init(_ original: WIBLFile, truth: [TruthPing]) {
        var byElapsed: [UInt32: Int] = [:]
        for (k, ping) in truth.enumerated() { byElapsed[ping.elapsed] = k }
        // A ping's observations are stamped at it or up to 0.5 s later (relays, repeats). A stamp
        // of 0 means "no elapsed time" (`processing.md` §4): not an observation of any ping.
        func ping(_ elapsed: UInt32) -> Int? {
            guard elapsed != 0 else { return nil }
            for delay in UInt32(0)...500 {
                if let k = byElapsed[elapsed &- delay] { return k }
            }
            return nil
        }
        file = original
        for index in file.packets.indices {
            switch file.packets[index] {
            case .depth(var p):
                observations += 1
                guard p.depth.isFinite, p.depth >= 0, p.depth < 42_949_672.0, let k = ping(p.time.elapsed) else {
                    continue
                }
                p.depth += Self.spacing * Double(k + 1)
                observed.insert(k)
                file.packets[index] = .depth(p)
            case .serialString(var s):
                guard let (fieldIndex, text) = Self.depthField(s.data) else { continue }
                observations += 1
                guard let k = ping(s.elapsed), let tagged = Self.tagged(text, ping: k), let body = Self.body(s.data)
                else { continue }
                var fields = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard fieldIndex + 1 < fields.count else { continue }
                fields[fieldIndex + 1] = tagged
                s.data = ByteBuffer(string: NMEA0183Checksum.sentence(fields.joined(separator: ",")))
                observed.insert(k)
                file.packets[index] = .serialString(s)
            default:
                continue
            }
        }
    }

    /// For DBT and DPT sentences: the index of the depth field and its text.
    static func depthField(_ data: ByteBuffer) -> (Int, String)? {
        data.withUnsafeReadableBytes { text -> (Int, String)? in
            guard let frame = try? NMEA0183Frame.parse(text), frame.kind == .ordinary else { return nil }
            let index: Int
            switch frame.typeCode {
            case NMEA0183.dbt: index = 2
            case NMEA0183.dpt: index = 0
            default: return nil
            }
            return (
                index,
                String(decoding: UnsafeRawBufferPointer(rebasing: text[frame.field(index, in: text)]), as: UTF8.self)
            )
        }
    }

    /// The sentence between `$` and `*`.
    static func body(_ data: ByteBuffer) -> String? {
        let text = String(decoding: data.readableBytesView, as: UTF8.self)
        guard let dollar = text.firstIndex(of: "$") else { return nil }
        let rest = text[text.index(after: dollar)...]
        return String(rest.prefix { $0 != "*" && $0 != "\r" && $0 != "\n" })
    }

    /// `10.1` of ping 4 → `5010.1`; `nil` for a field that is not a plain non-negative decimal.
    static func tagged(_ field: String, ping k: Int) -> String? {
        let parts = field.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int(parts[0]), whole >= 0, parts.count == 1 || parts[1].allSatisfy(\.isNumber) else {
            return nil
        }
        let tagged = String(whole + Int(spacing) * (k + 1))
        return parts.count == 2 ? tagged + "." + parts[1] : tagged
    }

    /// The ping an output depth came from and its depth without the tag; `nil` when it carries no
    /// tag (a "no data" value, or an observation not traced to a ping).
    static func untag(_ z: Double, pings: Int) -> (ping: Int, depth: Double)? {
        guard z.isFinite, z > 0, z < 42_949_672.0 else { return nil }
        let k = Int(((z + 100) / spacing).rounded(.down))
        guard k >= 1, k <= pings else { return nil }
        return (k - 1, z - spacing * Double(k))
    }
}

/// Median, 95th percentile and maximum (nearest rank) of a list of errors.
struct ErrorSummary {
    var median = 0.0
    var p95 = 0.0
    var max = 0.0
    var count = 0

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard !sorted.isEmpty else { return }
        func rank(_ q: Double) -> Double {
            sorted[Swift.max(0, Swift.min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
        }
        median = rank(0.5)
        p95 = rank(0.95)
        max = sorted[sorted.count - 1]
    }

    var json: JSONValue { ["median": .double(median), "p95": .double(p95), "max": .double(max)] }
}

/// How one mode did against the truth.
struct ModeAccuracy {
    var mode: ProcessingMode
    var error: String?
    var observations = 0
    var kept = 0
    var leftOut = SoundingsLeftOut()
    var pings = 0
    var pingsMissed = 0
    /// Pings with a valid depth observation and a valid fix within the gap limit.
    var eligiblePings = 0
    var eligibleKept = 0
    var time = ErrorSummary([])
    var position = ErrorSummary([])
    var depth = ErrorSummary([])
    var noDataOutputs = 0
    var farOutputs = 0
    var untracedOutputs = 0

    /// Share of eligible pings with at least one output sounding.
    var eligibleShare: Double { eligiblePings == 0 ? 1 : Double(eligibleKept) / Double(eligiblePings) }

    var json: JSONValue {
        if let error { return ["error": .string(error)] }
        var object = JSONObject()
        object["observations"] = .integer(Int64(observations))
        object["kept"] = .integer(Int64(kept))
        var left = JSONObject()
        left["total"] = .integer(Int64(observations - kept))
        for (reason, count) in leftOut.entries { left[reason.rawValue] = .integer(Int64(count)) }
        object["leftOut"] = .object(left)
        object["pings"] = .integer(Int64(pings))
        object["pingsMissed"] = .integer(Int64(pingsMissed))
        object["eligiblePings"] = .integer(Int64(eligiblePings))
        object["eligibleKept"] = .integer(Int64(eligibleKept))
        object["timeError"] = time.json
        object["positionError"] = position.json
        object["depthError"] = depth.json
        object["noDataOutputs"] = .integer(Int64(noDataOutputs))
        object["outputsOver50m"] = .integer(Int64(farOutputs))
        object["untracedOutputs"] = .integer(Int64(untracedOutputs))
        return .object(object)
    }

    var text: String {
        if let error { return "\(mode.rawValue): failed: \(error)\n" }
        func row(_ label: String, _ s: ErrorSummary, _ digits: Int) -> String {
            "  \(label)  median \(format(s.median, digits))  p95 \(format(s.p95, digits))  max \(format(s.max, digits))\n"
        }
        var out = "\(mode.rawValue):\n"
        out += "  kept \(kept) of \(observations) depth observations, left out \(observations - kept)"
        out += leftOut.total > 0 ? " (\(leftOut))\n" : "\n"
        out +=
            "  pings missed \(pingsMissed) of \(pings); kept \(eligibleKept) of \(eligiblePings) pings with a valid fix"
        out += " (\(format(eligibleShare * 100, 2)) %)\n"
        out += row("time error (s)     ", time, 4)
        out += row("position error (m) ", position, 2)
        out += row("depth error (m)    ", depth, 3)
        out += "  outputs with a no-data value \(noDataOutputs), more than 50 m from the truth \(farOutputs)"
        out += untracedOutputs > 0 ? ", not traced to a ping \(untracedOutputs)\n" : "\n"
        return out
    }
}

/// Runs one mode over a tagged file and compares its soundings with the truth.
func measure(
    _ mode: ProcessingMode, _ tagged: TaggedFile, truth: [TruthPing], configuration: ProcessingConfiguration,
    fileName: String
) -> ModeAccuracy {
    var result = ModeAccuracy(mode: mode)
    var configuration = configuration
    configuration.mode = mode
    let processed: ProcessedFile
    do {
        processed = try processWIBL(
            tagged.file, configuration: configuration,
            options: ProcessingOptions(fileName: fileName, nowMicroseconds: 1_795_000_000_000_000))
    } catch {
        result.error = error.description
        return result
    }
    result.observations = tagged.observations
    result.kept = processed.depth.count
    result.leftOut = processed.leftOut
    result.pings = truth.count
    var timeErrors: [Double] = []
    var positionErrors: [Double] = []
    var depthErrors: [Double] = []
    var hit = [Bool](repeating: false, count: truth.count)
    let d = processed.depth
    for n in 0..<d.count {
        guard let (k, z) = TaggedFile.untag(d.z[n], pings: truth.count) else {
            if d.z[n] == -1e9 || d.z[n] >= 42_949_672.0 || !d.z[n].isFinite {
                result.noDataOutputs += 1
            } else {
                result.untracedOutputs += 1
            }
            continue
        }
        hit[k] = true
        let ping = truth[k]
        timeErrors.append(abs(d.t[n] - ping.t))
        let metres = distance(d.lat[n], d.lon[n], ping.lat, ping.lon)
        positionErrors.append(metres)
        if metres > 50 { result.farOutputs += 1 }
        depthErrors.append(abs(z - ping.depth))
    }
    result.pingsMissed = hit.count { !$0 }
    for k in truth.indices where tagged.observed.contains(k) {
        guard let gap = truth[k].fixGap, gap <= configuration.accurate.gapLimitSeconds else { continue }
        result.eligiblePings += 1
        if hit[k] { result.eligibleKept += 1 }
    }
    result.time = ErrorSummary(timeErrors)
    result.position = ErrorSummary(positionErrors)
    result.depth = ErrorSummary(depthErrors)
    return result
}

/// Great-circle distance in metres (haversine, mean Earth radius).
func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    guard lat1.isFinite, lon1.isFinite, lat2.isFinite, lon2.isFinite else { return .infinity }
    let radians = Double.pi / 180
    let dLat = (lat2 - lat1) * radians
    let dLon = (lon2 - lon1) * radians
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * 6_371_008.8 * asin(min(1, a.squareRoot()))
}
