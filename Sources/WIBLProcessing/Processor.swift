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
    var processor = Processor(configuration: configuration, options: options)
    return try processor.run(file.packets)
}

/// Packed 3-byte sentence names, used as cheap dictionary keys for statistics.
private typealias NameKey = UInt32

private struct Processor {
    let configuration: ProcessingConfiguration
    let options: ProcessingOptions
    var lineage: [LineageRecord] = []
    var warnings: [ProcessingWarning] = []
    var typeCounts = [NameStatistics?](repeating: nil, count: 20)
    var sentenceCounts: [NameKey: NameStatistics] = [:]

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
    }

    // MARK: Stage 1 (§3–§6)

    mutating func run(_ decoded: [Packet]) throws(ProcessingError) -> ProcessedFile {
        // P12: the version first.
        for case .serialiserVersion(let v) in decoded where v.ordinal > 1003 {
            throw .newerDataFile(major: v.major, minor: v.minor)
        }
        // 1a: algorithm requests, de-duplicated, in order of first occurrence.
        var algorithms: [AlgorithmRequest] = []
        for case .algorithmRequest(let request) in decoded where !algorithms.contains(request) {
            algorithms.append(request)
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
        // 1c: census. SerialStrings whose name bytes are not UTF-8 are dropped for good.
        var seen = Set<String>()
        var anyZero = false
        var census: [Packet] = []
        census.reserveCapacity(packets.count)
        for packet in packets {
            if case .serialString(let sentence) = packet {
                let nameBytes = sentence.data.readableBytesView.prefix(6).dropFirst(3)
                guard let name = String(validating: nameBytes, as: UTF8.self) else {
                    fault(.decode, sentenceKey(sentence.data))
                    continue
                }
                seen.insert(name)
            } else {
                seen.insert(packet.type.name)
            }
            if packet.elapsed == 0 { anyZero = true }
            census.append(packet)
        }
        // 1d: the time source, from names alone (§5).
        guard let source = [TimeSource.systemTime, .gnss, .zda, .rmc].first(where: { seen.contains($0.rawValue) }) else {
            throw .noTimeSource
        }
        // 1e: missing elapsed times (§4, §6).
        var elapsed = census.map { Double($0.elapsed) }
        if anyZero { fixUpElapsed(census, &elapsed, source: source) }
        return try buildSeries(census, elapsed, source: source, algorithms: algorithms, parameters: parameters)
    }

    /// §6a–§6c. Afterwards 0 means "no elapsed time".
    mutating func fixUpElapsed(_ packets: [Packet], _ elapsed: inout [Double], source: TimeSource) {
        if let timeType = source.sentenceType {
            var zero: Int64?
            for (n, packet) in packets.enumerated() {
                guard case .serialString(let sentence) = packet, sentence.elapsed == 0,
                    nameBytes(sentence.data) == source.rawValue
                else { continue }
                let key = sentenceKey(sentence.data)
                guard sentence.data.readableBytes >= 11 else {
                    fault(.short, key)
                    continue
                }
                let observation = sentence.data.withUnsafeReadableBytes { text in
                    observeSentence(text, key: key, timeType: timeType, checkLength: false)
                }
                guard case .time(let micro)? = observation else { continue }
                if let zero {
                    elapsed[n] = 1000.0 * (Double(micro) / 1e6 - Double(zero) / 1e6)
                } else {
                    zero = micro  // the seed keeps elapsed 0 and is lost (§6a)
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
        _ packets: [Packet], _ elapsed: [Double], source: TimeSource, algorithms: [AlgorithmRequest],
        parameters: [[AlgorithmParameter]]
    ) throws(ProcessingError) -> ProcessedFile {
        var loggerVersion = ""
        var metadata: Metadata?
        var jsonMetadata: TextPayload?
        var setups: [TextPayload] = []
        var timeX: [Double] = []
        var timeRef: [Double] = []
        var positionX: [Double] = []
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        var depthX: [Double] = []
        var depths: [Double] = []
        var headingX: [Double] = []
        var headings: [Double] = []
        var temperatureX: [Double] = []
        var temperatures: [Double] = []
        var windX: [Double] = []
        var windDirections: [Double] = []
        var windSpeeds: [Double] = []
        timeX.reserveCapacity(packets.count / 3)
        timeRef.reserveCapacity(packets.count / 3)
        positionX.reserveCapacity(packets.count / 3)
        latitudes.reserveCapacity(packets.count / 3)
        longitudes.reserveCapacity(packets.count / 3)
        depthX.reserveCapacity(packets.count / 3)
        depths.reserveCapacity(packets.count / 3)

        let quantum = configuration.elapsedTimeQuantum
        let timeType = source.sentenceType
        var offset = 0.0
        var last = 0.0
        for (n, packet) in packets.enumerated() {
            observe(packet)
            switch packet {
            case .serialiserVersion(let v):
                loggerVersion = "\(v.major).\(v.minor)/\(v.nmea2000)/\(v.nmea0183)"
            case .metadata(let m):
                metadata = m
            case .jsonMetadata(let text):
                jsonMetadata = text
            case .setup(let text):
                setups.append(text)
            default:
                break
            }
            let e = elapsed[n]
            guard e != 0 else { continue }
            if Double(packet.elapsed) >= quantum {
                throw .elapsedWidthMismatch(packetIndex: n, elapsed: packet.elapsed, width: configuration.elapsedTimeWidth)
            }
            if e < last { offset += quantum }
            last = e
            let x = e + offset
            switch packet {
            case .systemTime(let p) where source == .systemTime:
                timeX.append(x)
                timeRef.append(Double(p.date) * 86_400.0 + p.timestamp)
            case .depth(let p):
                depthX.append(x)
                depths.append(p.depth)
            case .gnss(let p):
                if source == .gnss {
                    timeX.append(x)
                    timeRef.append(Double(p.msgDate) * 86_400.0 + p.msgTimestamp)
                }
                positionX.append(x)
                latitudes.append(p.latitude)
                longitudes.append(p.longitude)
            case .serialString(let sentence):
                let key = sentenceKey(sentence.data)
                let observation = sentence.data.withUnsafeReadableBytes { text in
                    observeSentence(text, key: key, timeType: timeType, checkLength: true)
                }
                switch observation {
                case .time(let micro)?:
                    timeX.append(x)
                    timeRef.append(Double(micro) / 1e6)
                case .position(let lat, let lon)?:
                    positionX.append(x)
                    latitudes.append(lat)
                    longitudes.append(lon)
                case .depth(let z)?:
                    depthX.append(x)
                    depths.append(z)
                case .heading(let h)?:
                    headingX.append(x)
                    headings.append(h)
                case .waterTemperature(let temperature)?:
                    temperatureX.append(x)
                    temperatures.append(temperature)
                case .wind(let direction, let speed)?:
                    windX.append(x)
                    windDirections.append(direction)
                    windSpeeds.append(speed)
                case .nothing?, nil:
                    break
                }
            default:
                break
            }
        }

        guard !depthX.isEmpty else { throw .noData(algorithm: nil) }
        guard !timeX.isEmpty else { throw .noTimeReference(source: source.rawValue) }
        guard !positionX.isEmpty else { throw .noPosition }

        // §9: interpolate time and position at every depth (and at the auxiliary series).
        var depth = DepthSeries()
        depth.t = Interpolation.interp(depthX, timeX, timeRef)
        depth.lat = Interpolation.interp(depthX, positionX, latitudes)
        depth.lon = Interpolation.interp(depthX, positionX, longitudes)
        depth.z = depths
        func auxiliary(_ x: [Double], _ values: [[Double]]) -> AuxiliarySeries {
            var series = AuxiliarySeries()
            guard !x.isEmpty else { return series }
            series.t = Interpolation.interp(x, timeX, timeRef)
            series.lat = Interpolation.interp(x, positionX, latitudes)
            series.lon = Interpolation.interp(x, positionX, longitudes)
            series.values = values
            return series
        }

        // §11: AFTER_TIME_INTERP algorithms, in the file's order.
        for (request, parsed) in zip(algorithms, parameters) where request.name == "deduplicate" {
            let (kept, comment) = Deduplicate.run(depth)
            guard kept.count > 0 else { throw .noData(algorithm: request.name) }  // P10
            depth = kept
            record(request.name, parsed, comment)
        }

        // P4: non-finite soundings never reach the output.
        var dropped = 0
        if !(depth.t.allSatisfy(\.isFinite) && depth.lat.allSatisfy(\.isFinite) && depth.lon.allSatisfy(\.isFinite)
            && depth.z.allSatisfy(\.isFinite))
        {
            var finite = DepthSeries()
            for n in 0..<depth.count {
                if depth.t[n].isFinite, depth.lat[n].isFinite, depth.lon[n].isFinite, depth.z[n].isFinite {
                    finite.t.append(depth.t[n])
                    finite.lat.append(depth.lat[n])
                    finite.lon.append(depth.lon[n])
                    finite.z.append(depth.z[n])
                } else {
                    dropped += 1
                }
            }
            depth = finite
            warnings.append(.nonFiniteSoundings(count: dropped))
            guard depth.count > 0 else { throw .noData(algorithm: nil) }
        }

        // D7: firmware order of the Metadata strings, recognised through the Setup packet.
        var loggerName = metadata?.loggerName
        var platformName = metadata?.shipName
        if let m = metadata, m.loggerName != m.shipName,
            setups.contains(where: { setup in
                guard let names = Self.setupNames(setup) else { return false }
                return names.uniqueID == m.shipName && names.shipName == m.loggerName
            })
        {
            loggerName = m.shipName
            platformName = m.loggerName
            warnings.append(.metadataSwapped(uniqueID: m.shipName, shipName: m.loggerName))
        }

        var result = ProcessedFile(
            loggerName: loggerName, platformName: platformName, loggerVersion: loggerVersion,
            jsonMetadata: jsonMetadata, algorithms: algorithms, depth: depth, lineage: lineage)
        result.heading = auxiliary(headingX, [headings])
        result.waterTemperature = auxiliary(temperatureX, [temperatures])
        result.wind = auxiliary(windX, [windDirections, windSpeeds])
        result.timeSource = source.rawValue
        result.statistics = (typeCounts.compactMap { $0 } + sentenceCounts.values.sorted { $0.name < $1.name })
        for entry in result.statistics {
            for kind in FaultKind.allCases {
                if let count = entry.faults[kind], count > 0 {
                    warnings.append(.faults(name: entry.name, kind: kind, count: count))
                }
            }
        }
        result.warnings = warnings
        return result
    }

    /// §8.1 steps 2–5 for one sentence; `nil` after a fault.
    mutating func observeSentence(
        _ text: UnsafeRawBufferPointer, key: NameKey, timeType: UInt32?, checkLength: Bool
    ) -> NMEA0183Observation? {
        var isASCII = true
        for byte in text where byte >= 0x80 {
            isASCII = false
            break
        }
        if !isASCII, String(validating: text, as: UTF8.self) == nil {
            fault(.decode, key)
            return nil
        }
        if checkLength {
            let characters = isASCII ? text.count : text.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
            if characters <= 11 {
                fault(.short, key)
                return nil
            }
        }
        do {
            let frame = try NMEA0183Frame.parse(text)
            return try NMEA0183.observe(frame, in: text, timeType: timeType)
        } catch {
            switch error {
            case .badChecksum: fault(.checksum, key)
            case .badField: fault(.type, key)
            default: fault(.parse, key)
            }
            return nil
        }
    }

    // MARK: Bookkeeping

    mutating func record(_ name: String, _ parameters: [AlgorithmParameter], _ comment: String) {
        lineage.append(
            LineageRecord(
                name: name, parameters: parameters, version: AlgorithmRegistry.algorithms[name]?.version ?? "1.0.0",
                comment: comment, timestampMicroseconds: options.nowMicroseconds))
    }

    mutating func observe(_ packet: Packet) {
        if case .serialString(let sentence) = packet {
            let key = sentenceKey(sentence.data)
            if sentenceCounts[key] == nil { sentenceCounts[key] = NameStatistics(name: nameBytes(sentence.data)) }
            sentenceCounts[key]?.observed += 1
        } else {
            let index = Int(packet.type.rawValue)
            typeCounts[index, default: NameStatistics(name: packet.type.name)].observed += 1
        }
    }

    mutating func fault(_ kind: FaultKind, _ key: NameKey) {
        if sentenceCounts[key] == nil { sentenceCounts[key] = NameStatistics(name: Self.name(of: key)) }
        sentenceCounts[key]?.faults[kind, default: 0] += 1
    }

    private func sentenceKey(_ data: ByteBuffer) -> NameKey {
        var key = NameKey(0)
        var count = NameKey(0)
        for byte in data.readableBytesView.prefix(6).dropFirst(3) {
            key = key << 8 | NameKey(byte)
            count += 1
        }
        return count << 24 | key
    }

    private static func name(of key: NameKey) -> String {
        let count = Int(key >> 24)
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: key >> (8 * UInt32(count - 1 - $0))) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func nameBytes(_ data: ByteBuffer) -> String {
        String(decoding: data.readableBytesView.prefix(6).dropFirst(3), as: UTF8.self)
    }

    /// `uniqueID` and `shipname` of a Setup packet's JSON, if both are strings (D7).
    static func setupNames(_ text: TextPayload) -> (uniqueID: String, shipName: String)? {
        guard let json = try? JSONValue.parse(text.bytes.readableBytesView),
            let id = json["uniqueID"]?.stringValue, let ship = json["shipname"]?.stringValue
        else { return nil }
        return (id, ship)
    }
}

extension Array where Element == NameStatistics? {
    fileprivate subscript(index: Int, default value: @autoclosure () -> NameStatistics) -> NameStatistics {
        get { self[index] ?? value() }
        set { self[index] = newValue }
    }
}
