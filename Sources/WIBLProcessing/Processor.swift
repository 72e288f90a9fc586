import JSONValue
import NIOCore
import WIBLFormat

/// Per-run inputs that are not configuration.
public struct ProcessingOptions: Sendable {
    /// The file's name, for messages (`Unknown algorithm 'x' for NAME.`).
    public var fileName: String
    /// "Now", in microseconds since 1970-01-01T00:00:00Z: lineage timestamps and `nodatareject`'s
    /// idea of today. Passed in so that processing stays a pure function.
    public var nowMicroseconds: Int64

    /// Creates options.
    public init(fileName: String, nowMicroseconds: Int64) {
        self.fileName = fileName
        self.nowMicroseconds = nowMicroseconds
    }
}

/// Turns the packets of a decoded file into timed, positioned soundings (`processing.md`, all of it).
///
/// To process a file straight from its bytes, without decoding it into a list first, use
/// ``processWIBL(bytes:decoding:configuration:options:)``: the result is the same.
///
/// - Parameters:
///   - file: The decoded file.
///   - configuration: `elapsed_time_width` and the other keys of §2.
///   - options: File name and the current time.
/// - Returns: The soundings and everything the GeoJSON stage needs.
/// - Throws: ``ProcessingError`` in the order of §15 P12.
public func processWIBL(
    _ file: WIBLFile, configuration: ProcessingConfiguration, options: ProcessingOptions
) throws(ProcessingError) -> ProcessedFile {
    if configuration.mode == .accurate {
        return try processAccurately(file.packets, configuration: configuration, options: options)
    }
    var scan = FirstPass(nowMicroseconds: options.nowMicroseconds)
    for packet in file.packets { scan.observe(packet) }
    var processor = Processor(configuration: configuration, options: options)
    return try processor.run(scan, replay: file.packets.makeIterator())
}

/// The state of one file's processing: configuration, lineage, warnings and statistics, with the
/// stages as methods (stage 1 here; the series builder in `Processor+Accumulation.swift`,
/// `SeriesColumns.swift` and `Processor+Finishing.swift`).
struct Processor {
    let configuration: ProcessingConfiguration
    let options: ProcessingOptions
    var lineage: [LineageRecord] = []
    var warnings: [ProcessingWarning] = []
    /// Stage-2 observations per packet type (by raw value); `nil` until the type is seen.
    var typeCounts = [Int?](repeating: nil, count: 20)
    var sentenceCounts = SentenceCounters()

    init(configuration: ProcessingConfiguration, options: ProcessingOptions) {
        self.configuration = configuration
        self.options = options
    }

    enum TimeSource: String {
        case systemTime = "SystemTime"
        case gnss = "GNSS"
        case zda = "ZDA"
        case rmc = "RMC"

        var sentenceType: UInt32? {
            switch self {
            case .zda: NMEA0183.zda
            case .rmc: NMEA0183.rmc
            default: nil
            }
        }

        /// The statistics key of the sentence name.
        var sentenceKey: NameKey? {
            switch self {
            case .zda: 3 << 24 | NMEA0183.zda
            case .rmc: 3 << 24 | NMEA0183.rmc
            default: nil
            }
        }
    }

    // MARK: Stage 1 (§3–§6)

    /// Stages 1b–2 on what the first pass over the packets gathered; `replay` reads the packets a
    /// second time, in the same order.
    mutating func run(
        _ scan: consuming FirstPass, replay: some IteratorProtocol<Packet>
    ) throws(ProcessingError) -> ProcessedFile {
        // P12: the version first (the first pass kept the first such error in file order).
        if let error = scan.firstError { throw error }
        // 1b: names and parameters are checked together (P8), then ON_LOAD algorithms run.
        let algorithms = scan.algorithms
        let parameters = try AlgorithmRegistry.checkedParameters(of: algorithms, fileName: options.fileName)
        var noDataRuns = 0
        for (request, parsed) in zip(algorithms, parameters) where request.name == "nodatareject" {
            record(request.name, parsed, scan.noData.comment(run: noDataRuns))
            noDataRuns += 1
        }
        let filtered = noDataRuns > 0
        // 1c–1d: the time source, from the names the census saw (§5). With `nodatareject`, the
        // census is that of the packets it kept.
        let source: TimeSource
        if filtered ? scan.seen.keptSystemTime : scan.seen.systemTime {
            source = .systemTime
        } else if filtered ? scan.seen.keptGNSS : scan.seen.gnss {
            source = .gnss
        } else if scan.seen.zda {
            source = .zda
        } else if scan.seen.rmc {
            source = .rmc
        } else {
            throw .noTimeSource
        }
        // The census's invalid sentence names were counted as faults by the first pass, first.
        sentenceCounts = scan.sentenceCounts
        // 1e: missing elapsed times (§4, §6), kept only for the census entries stored as 0.
        let fixed = fixUpElapsed(scan, filtered: filtered, source: source)
        let censusCount = scan.stored.count
        scan.stored = []
        return try buildSeries(
            replay, fixed: fixed, censusCount: censusCount, filtered: filtered, source: source,
            algorithms: algorithms, parameters: parameters)
    }

    /// §6a–§6c over the census's stored elapsed times. Returns every census entry whose stored
    /// elapsed time is 0, in census order, with its value afterwards (0 still means "no elapsed
    /// time"); every other entry keeps its stored value.
    mutating func fixUpElapsed(_ scan: borrowing FirstPass, filtered: Bool, source: TimeSource) -> [FixedElapsed] {
        var fixed: [FixedElapsed] = []
        var removedCursor = 0
        var sentenceCursor = 0
        var n = 0
        var previous = 0.0
        // The entry before an open run of zeros: its value and where the run starts in `fixed`.
        var open: (value: Double, start: Int)?
        var seed: Int64?
        let timeType = source.sentenceType
        let sourceKey = source.sentenceKey
        for ordinal in scan.stored.indices {
            if filtered, removedCursor < scan.removed.count, scan.removed[removedCursor] == ordinal {
                removedCursor += 1
                continue
            }
            let stored = scan.stored[ordinal]
            var e = Double(stored)
            // 6a: sentences of the time source without an elapsed time, timed from the seed.
            while sentenceCursor < scan.zeroTimeSentences.count,
                scan.zeroTimeSentences[sentenceCursor].ordinal < ordinal
            {
                sentenceCursor += 1
            }
            if stored == 0, let timeType, let sourceKey, sentenceCursor < scan.zeroTimeSentences.count,
                scan.zeroTimeSentences[sentenceCursor].ordinal == ordinal
            {
                let outcome = scan.zeroTimeSentences[sentenceCursor].text.withUnsafeReadableBytes {
                    text -> SentenceOutcome? in
                    guard Self.sentenceKey(text) == sourceKey else { return nil }
                    guard text.count >= 11 else { return .fault(.short) }
                    return Self.evaluate(text, timeType: timeType, checkLength: false)
                }
                switch outcome {
                case nil:
                    break
                case .fault(let kind)?:
                    fault(kind, sourceKey)
                case .observation(.time(let micro))?:
                    if let seed {
                        e = 1000.0 * (Double(micro) / 1e6 - Double(seed) / 1e6)
                    } else {
                        seed = micro  // the seed keeps elapsed 0 and is lost (§6a)
                    }
                case .observation?:
                    break
                }
            }
            // 6b: bracketing.
            if e == 0 {
                if n > 0, previous > 0 { open = (previous, fixed.count) }
            } else if let o = open {
                let mean = (o.value + e) / 2.0
                for k in o.start..<fixed.count { fixed[k].value = mean }
                open = nil
            }
            if stored == 0 { fixed.append(FixedElapsed(n: n, value: e)) }
            previous = e
            n += 1
        }
        return fixed
    }

    // MARK: Stage 2 (§7–§10)

    mutating func buildSeries(
        _ replay: some IteratorProtocol<Packet>, fixed: [FixedElapsed], censusCount: Int, filtered: Bool,
        source: TimeSource, algorithms: [AlgorithmRequest], parameters: [[AlgorithmParameter]]
    ) throws(ProcessingError) -> ProcessedFile {
        let columns = try accumulate(
            replay, fixed: fixed, censusCount: censusCount, filtered: filtered, source: source)
        guard !columns.depthX.isEmpty else { throw .noData(algorithm: nil) }
        guard !columns.timeX.isEmpty else { throw .noTimeReference(source: source.rawValue) }
        guard !columns.positionX.isEmpty else { throw .noPosition }

        var depth = columns.interpolatedDepth()
        depth = try applyAlgorithms(depth, algorithms, parameters)
        depth = try droppingNonFinite(depth)
        let names = resolveNames(columns.metadata, setups: columns.setups)

        var result = ProcessedFile(
            loggerName: names.logger, platformName: names.platform, loggerVersion: columns.loggerVersion,
            jsonMetadata: columns.jsonMetadata, algorithms: algorithms, depth: depth, lineage: lineage)
        result.heading = columns.auxiliary(columns.headingX, [columns.headings])
        result.waterTemperature = columns.auxiliary(columns.temperatureX, [columns.temperatures])
        result.wind = columns.auxiliary(columns.windX, [columns.windDirections, columns.windSpeeds])
        result.timeSource = source.rawValue
        result.statistics = statistics()
        result.warnings = warnings
        return result
    }

    /// What one sentence gives: an observation, or the kind of fault that stopped it.
    enum SentenceOutcome {
        case observation(NMEA0183Observation)
        case fault(FaultKind)
    }

    /// §8.1 steps 2–5 for one sentence, on its bytes in place.
    static func evaluate(_ text: UnsafeRawBufferPointer, timeType: UInt32?, checkLength: Bool) -> SentenceOutcome {
        // ASCII is checked eight bytes at a time; anything else is validated as UTF-8.
        var k = 0
        let n = text.count
        while k + 8 <= n, text.loadUnaligned(fromByteOffset: k, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            k += 8
        }
        while k < n, text[k] < 0x80 { k += 1 }
        let isASCII = k == n
        if !isASCII, String(validating: text, as: UTF8.self) == nil {
            return .fault(.decode)
        }
        if checkLength {
            let characters = isASCII ? n : text.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
            if characters <= 11 { return .fault(.short) }
        }
        do {
            let frame = try NMEA0183Frame.parse(text)
            return .observation(try NMEA0183.observe(frame, in: text, timeType: timeType))
        } catch {
            switch error {
            case .badChecksum: return .fault(.checksum)
            case .badField: return .fault(.type)
            default: return .fault(.parse)
            }
        }
    }

    // MARK: Bookkeeping

    mutating func record(_ name: String, _ parameters: [AlgorithmParameter], _ comment: String) {
        lineage.append(
            LineageRecord(
                name: name, parameters: parameters, version: AlgorithmRegistry.algorithms[name]?.version ?? "1.0.0",
                comment: comment, timestampMicroseconds: options.nowMicroseconds))
    }

    mutating func fault(_ kind: FaultKind, _ key: NameKey) {
        sentenceCounts.fault(kind, key)
    }

    /// The statistics key of a sentence: bytes 3…5 (fewer for shorter sentences) and their count.
    @inline(__always) static func sentenceKey(_ raw: UnsafeRawBufferPointer) -> NameKey {
        let count = min(max(raw.count - 3, 0), 3)
        var key = NameKey(0)
        for i in 0..<count { key = key << 8 | NameKey(raw[3 + i]) }
        return NameKey(count) << 24 | key
    }

    /// Whether the name bytes (3…5) are UTF-8.
    @inline(__always) static func isValidName(_ raw: UnsafeRawBufferPointer) -> Bool {
        let name = UnsafeRawBufferPointer(rebasing: raw[min(3, raw.count)..<min(6, raw.count)])
        for byte in name where byte >= 0x80 {
            return String(validating: name, as: UTF8.self) != nil
        }
        return true
    }

    static func name(of key: NameKey) -> String {
        let count = Int(key >> 24)
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: key >> (8 * UInt32(count - 1 - $0))) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `uniqueID` and `shipname` of a Setup packet's JSON, if both are strings (D7).
    static func setupNames(_ text: TextPayload) -> (uniqueID: String, shipName: String)? {
        guard let json = try? JSONValue.parse(text.bytes.readableBytesView, maximumValues: PacketLimits.jsonValues),
            let id = json["uniqueID"]?.stringValue, let ship = json["shipname"]?.stringValue
        else { return nil }
        return (id, ship)
    }
}

extension Array where Element == Int? {
    subscript(index: Int, default value: Int) -> Int {
        get { self[index] ?? value }
        set { self[index] = newValue }
    }
}
