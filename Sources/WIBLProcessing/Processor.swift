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
    var processor = Processor(configuration: configuration, options: options)
    return try processor.run(file.packets)
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

    mutating func run(_ decoded: [Packet]) throws(ProcessingError) -> ProcessedFile {
        // P12: the version first; 1a: algorithm requests, de-duplicated, in order of first
        // occurrence. Only the version check can fail, so one pass does both. The type is looked
        // at before a payload is bound (binding copies the packet).
        var algorithms: [AlgorithmRequest] = []
        for i in decoded.indices {
            switch decoded[i].type {
            case .serialiserVersion, .algorithmRequest: break
            default: continue
            }
            switch decoded[i] {
            case .serialiserVersion(let v) where v.ordinal > 1003:
                throw .newerDataFile(major: v.major, minor: v.minor)
            case .algorithmRequest(let request) where !algorithms.contains(request):
                algorithms.append(request)
            default:
                break
            }
        }
        // 1b: names and parameters are checked together (P8), then ON_LOAD algorithms run.
        var parameters: [[AlgorithmParameter]] = []
        for request in algorithms {
            guard AlgorithmRegistry.algorithms[request.name] != nil else {
                throw .unknownAlgorithm(name: request.name, fileName: options.fileName)
            }
            guard let parsed = AlgorithmRegistry.parseParameters(request.parameters) else {
                throw .badAlgorithmParameters(name: request.name, parameters: request.parameters)
            }
            parameters.append(parsed)
        }
        var packets = decoded
        for (request, parsed) in zip(algorithms, parameters) where request.name == "nodatareject" {
            let (kept, comment) = NoDataReject.run(packets, nowMicroseconds: options.nowMicroseconds)
            packets = kept
            record(request.name, parsed, comment)
        }
        // 1c: census, as indices into `packets` with their elapsed times. SerialStrings whose name
        // bytes are not UTF-8 are dropped for good. Only the names that choose the time source
        // matter afterwards (§5).
        var seenSystemTime = false
        var seenGNSS = false
        var seenZDA = false
        var seenRMC = false
        var anyZero = false
        var census: [Int32] = []
        var elapsed: [Double] = []
        census.reserveCapacity(packets.count)
        elapsed.reserveCapacity(packets.count)
        let zdaKey = TimeSource.zda.sentenceKey
        let rmcKey = TimeSource.rmc.sentenceKey
        for i in packets.indices {
            let type = packets[i].type
            let stored: UInt32
            switch type {
            case .serialString:
                guard case .serialString(let sentence) = packets[i] else { continue }
                let (key, isValidName) = sentence.data.withUnsafeReadableBytes { raw in
                    (Self.sentenceKey(raw), Self.isValidName(raw))
                }
                guard isValidName else {
                    fault(.decode, key)
                    continue
                }
                if key == zdaKey {
                    seenZDA = true
                } else if key == rmcKey {
                    seenRMC = true
                }
                stored = sentence.elapsed
            case .systemTime:
                seenSystemTime = true
                stored = packets[i].elapsed
            case .gnss:
                seenGNSS = true
                stored = packets[i].elapsed
            default:
                stored = packets[i].elapsed
            }
            if stored == 0 { anyZero = true }
            census.append(Int32(truncatingIfNeeded: i))
            elapsed.append(Double(stored))
        }
        // 1d: the time source, from names alone (§5).
        let source: TimeSource
        if seenSystemTime {
            source = .systemTime
        } else if seenGNSS {
            source = .gnss
        } else if seenZDA {
            source = .zda
        } else if seenRMC {
            source = .rmc
        } else {
            throw .noTimeSource
        }
        // 1e: missing elapsed times (§4, §6).
        if anyZero { fixUpElapsed(packets, census, &elapsed, source: source) }
        return try buildSeries(
            packets, census, elapsed, source: source, algorithms: algorithms, parameters: parameters)
    }

    /// §6a–§6c. Afterwards 0 means "no elapsed time".
    mutating func fixUpElapsed(_ packets: [Packet], _ census: [Int32], _ elapsed: inout [Double], source: TimeSource) {
        if let timeType = source.sentenceType, let sourceKey = source.sentenceKey {
            var zero: Int64?
            for n in census.indices where elapsed[n] == 0 {
                guard case .serialString(let sentence) = packets[Int(census[n])] else { continue }
                let outcome = sentence.data.withUnsafeReadableBytes { text -> SentenceOutcome? in
                    guard Self.sentenceKey(text) == sourceKey else { return nil }
                    guard text.count >= 11 else { return .fault(.short) }
                    return Self.evaluate(text, timeType: timeType, checkLength: false)
                }
                switch outcome {
                case nil:
                    continue
                case .fault(let kind)?:
                    fault(kind, sourceKey)
                case .observation(.time(let micro))?:
                    if let zero {
                        elapsed[n] = 1000.0 * (Double(micro) / 1e6 - Double(zero) / 1e6)
                    } else {
                        zero = micro  // the seed keeps elapsed 0 and is lost (§6a)
                    }
                case .observation?:
                    break
                }
            }
        }
        // 6b: bracketing.
        var open: Int?
        for n in elapsed.indices {
            if elapsed[n] == 0 {
                if n > 0, elapsed[n - 1] > 0 { open = n - 1 }
            } else if let o = open {
                if n - o > 1 {
                    let mean = (elapsed[o] + elapsed[n]) / 2.0
                    for k in (o + 1)..<n { elapsed[k] = mean }
                }
                open = nil
            }
        }
    }

    // MARK: Stage 2 (§7–§10)

    mutating func buildSeries(
        _ packets: [Packet], _ census: [Int32], _ elapsed: [Double], source: TimeSource,
        algorithms: [AlgorithmRequest], parameters: [[AlgorithmParameter]]
    ) throws(ProcessingError) -> ProcessedFile {
        let columns = try accumulate(packets, census, elapsed, source: source)
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
        guard let json = try? JSONValue.parse(text.bytes.readableBytesView),
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
