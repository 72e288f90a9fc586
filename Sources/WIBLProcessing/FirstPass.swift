import NIOCore
import WIBLFormat

/// What the processing needs from a first pass over a file's packets, so that it never has to hold
/// the packets themselves (`processing.md` §3–§6): the first version or size error, the algorithm
/// requests, the names that choose the time source, the `nodatareject` counts, and the census's
/// stored elapsed times as one compact column. The second pass (``Processor``) reads the packets
/// again, from the bytes or from a decoded list.
struct FirstPass {
    /// The first P12 error met in file order: a newer serialiser version, or a packet holding more
    /// than ``PacketLimits`` allow.
    var firstError: ProcessingError?
    /// Algorithm requests, de-duplicated, in order of first occurrence (§3 1a).
    var algorithms: [AlgorithmRequest] = []
    private var seenAlgorithms: Set<AlgorithmRequest> = []
    /// Packets seen, every type.
    private(set) var packetCount = 0
    /// The stored elapsed time of every census entry (packets in file order, sentences whose name
    /// bytes are not UTF-8 left out), whatever `nodatareject` does.
    var stored: [UInt32] = []
    /// Positions in ``stored`` of the packets `nodatareject` removes, ascending.
    var removed: [Int] = []
    /// ZDA and RMC sentences stored without an elapsed time (§6a), with their position in ``stored``.
    var zeroTimeSentences: [(ordinal: Int, text: ByteBuffer)] = []
    /// Fault counts of the sentences whose name bytes are not UTF-8 (§3 1c).
    var sentenceCounts = SentenceCounters()
    /// Which time-source names were seen (§5), with and without `nodatareject`'s removals.
    var seen = SeenSources()
    /// `nodatareject`'s counts (§11.2).
    var noData: NoDataCounts
    private let today: Int

    struct SeenSources {
        var systemTime = false
        var keptSystemTime = false
        var gnss = false
        var keptGNSS = false
        var zda = false
        var rmc = false
    }

    init(nowMicroseconds: Int64) {
        today = NoDataReject.today(nowMicroseconds)
        noData = NoDataCounts()
    }

    /// Takes the next packet in file order.
    mutating func observe(_ packet: Packet) {
        let index = packetCount
        packetCount += 1
        let type = packet.type
        switch type {
        case .serialiserVersion, .algorithmRequest, .metadata, .jsonMetadata, .setup:
            checkHeader(packet, index: index)
        default:
            break
        }
        let isRemoved = noData.count(packet, today: today)
        let elapsed: UInt32
        if type == .serialString {
            guard case .serialString(let sentence) = packet else { return }
            let (key, isValidName) = sentence.data.withUnsafeReadableBytes { raw in
                (Processor.sentenceKey(raw), Processor.isValidName(raw))
            }
            guard isValidName else {
                sentenceCounts.fault(.decode, key)
                return
            }
            let isZDA = key == Processor.TimeSource.zda.sentenceKey
            let isRMC = key == Processor.TimeSource.rmc.sentenceKey
            if isZDA { seen.zda = true }
            if isRMC { seen.rmc = true }
            if sentence.elapsed == 0, isZDA || isRMC {
                zeroTimeSentences.append((stored.count, sentence.data))
            }
            elapsed = sentence.elapsed
        } else {
            if type == .systemTime {
                seen.systemTime = true
                if !isRemoved { seen.keptSystemTime = true }
            } else if type == .gnss {
                seen.gnss = true
                if !isRemoved { seen.keptGNSS = true }
            }
            elapsed = packet.elapsed
        }
        if isRemoved { removed.append(stored.count) }
        stored.append(elapsed)
    }

    /// §3 1a and the packet caps: the version, the algorithm requests, the size of texts.
    private mutating func checkHeader(_ packet: Packet, index: Int) {
        switch packet {
        case .serialiserVersion(let v) where v.ordinal > 1003:
            fail(.newerDataFile(major: v.major, minor: v.minor))
        case .algorithmRequest(let request):
            let size = request.name.utf8.count + request.parameters.utf8.count
            if size > PacketLimits.algorithmRequestBytes {
                fail(
                    .packetTooLarge(
                        type: PacketType.algorithmRequest.name, packetIndex: index, bytes: size,
                        limit: PacketLimits.algorithmRequestBytes))
            } else if seenAlgorithms.insert(request).inserted {
                algorithms.append(request)
            }
        case .metadata(let m):
            let size = m.loggerName.utf8.count + m.shipName.utf8.count
            if size > PacketLimits.metadataBytes {
                fail(
                    .packetTooLarge(
                        type: PacketType.metadata.name, packetIndex: index, bytes: size,
                        limit: PacketLimits.metadataBytes))
            }
        case .jsonMetadata(let text), .setup(let text):
            if text.bytes.readableBytes > PacketLimits.jsonTextBytes {
                fail(
                    .packetTooLarge(
                        type: packet.type.name, packetIndex: index, bytes: text.bytes.readableBytes,
                        limit: PacketLimits.jsonTextBytes))
            }
        default:
            break
        }
    }

    private mutating func fail(_ error: ProcessingError) {
        if firstError == nil { firstError = error }
    }
}

/// `nodatareject`'s counts over the whole file (§11.2), from which the comment of each run follows:
/// the first run removes what it removes; a later run (a second request with other parameters)
/// finds nothing more to remove.
struct NoDataCounts {
    var total = 0
    var gnss = (removed: 0, total: 0)
    var depth = (removed: 0, total: 0)
    var time = (removed: 0, total: 0)

    /// Counts `packet`; whether `nodatareject` removes it.
    mutating func count(_ packet: Packet, today: Int) -> Bool {
        total += 1
        let removes = NoDataReject.removes(packet, today: today)
        switch packet.type {
        case .gnss:
            gnss.total += 1
            if removes { gnss.removed += 1 }
        case .depth:
            depth.total += 1
            if removes { depth.removed += 1 }
        case .systemTime:
            time.total += 1
            if removes { time.removed += 1 }
        default:
            break
        }
        return removes
    }

    /// The lineage comment of the `run`-th (0-based) `nodatareject` in the file's order.
    func comment(run: Int) -> String {
        var all = total
        var g = gnss
        var d = depth
        var t = time
        if run > 0 {
            all -= gnss.removed + depth.removed + time.removed
            g = (0, gnss.total - gnss.removed)
            d = (0, depth.total - depth.removed)
            t = (0, time.total - time.removed)
        }
        return NoDataReject.comment(
            removed: g.removed + d.removed + t.removed, total: all, gnss: g, depth: d, time: t)
    }
}

/// A census entry stored without an elapsed time, and its value after §6.
struct FixedElapsed {
    /// Position in the census.
    var n: Int
    /// Elapsed milliseconds after §6a–§6b (0: still none).
    var value: Double
}

/// How much one packet's text may hold before the processing refuses the file
/// (``ProcessingError/packetTooLarge(type:packetIndex:bytes:limit:)``). Real loggers write a few
/// kilobytes; the caps keep hostile files from costing unbounded time and memory.
public enum PacketLimits {
    /// A JSONMetadata (id 14) or Setup (id 18) text: 8 MiB.
    public static let jsonTextBytes = 8 << 20
    /// JSON values (members and elements at every depth) in one JSONMetadata or Setup text.
    public static let jsonValues = 1_000_000
    /// A Metadata packet's (id 12) two strings together: 64 KiB.
    public static let metadataBytes = 64 << 10
    /// An AlgorithmRequest's (id 13) name and parameters together: 64 KiB.
    public static let algorithmRequestBytes = 64 << 10
}

/// Why a file could not be processed from its bytes: the decoder refused it, or the processing did.
public enum StreamProcessingError: Error, Sendable, Hashable {
    /// The bytes are not a (readable) WIBL file.
    case decode(WIBLDecodeError)
    /// The processing refused the file.
    case processing(ProcessingError)
}

/// A file processed straight from its bytes, with what the decoder reported on the way.
public struct StreamedProcessing: Sendable {
    /// The processing result.
    public var processed: ProcessedFile
    /// The decoder's reports (non-strict mode): damaged packets that were skipped.
    public var problems: [WIBLDecodeError]
}

/// Processes a file straight from its bytes, without a list of packets: a first pass decodes every
/// packet and keeps only compact columns (``FirstPass``), a second decodes them again as the series
/// are built. The result is the same as `processWIBL(WIBLFile.decode(bytes), …)`. Accurate mode
/// (`ProcessingConfiguration.mode`) still decodes the whole list first.
///
/// - Parameters:
///   - bytes: The file.
///   - decoding: Strict or not (`processing.md` §2 `strict_mode`).
///   - configuration: `elapsed_time_width` and the other keys of §2.
///   - options: File name and the current time.
/// - Returns: The processing result and the decoder's problems.
/// - Throws: ``StreamProcessingError/decode(_:)`` when the decoder refuses the file (before any
///   processing error), else ``StreamProcessingError/processing(_:)`` in the order of §15 P12.
public func processWIBL(
    bytes: ByteBuffer, decoding: DecodingOptions, configuration: ProcessingConfiguration,
    options: ProcessingOptions
) throws(StreamProcessingError) -> StreamedProcessing {
    if configuration.mode == .accurate {
        // Accurate mode (`processAccurately`) works on the whole packet list.
        let file: WIBLFile
        do {
            file = try WIBLFile.decode(bytes, options: decoding)
        } catch {
            throw .decode(error)
        }
        do {
            let processed = try processWIBL(file, configuration: configuration, options: options)
            return StreamedProcessing(processed: processed, problems: file.problems)
        } catch {
            throw .processing(error)
        }
    }
    var scan = FirstPass(nowMicroseconds: options.nowMicroseconds)
    var reader = PacketReader(bytes, options: decoding)
    do {
        while let decoded = try reader.next() { scan.observe(decoded.packet) }
    } catch {
        throw .decode(error)
    }
    var processor = Processor(configuration: configuration, options: options)
    do {
        let processed = try processor.run(scan, replay: ReplayedPackets(bytes))
        return StreamedProcessing(processed: processed, problems: reader.problems)
    } catch {
        throw .processing(error)
    }
}

/// The packets of a file decoded a second time. The first pass already met every problem (in
/// strict mode it would have thrown), so non-strict decoding gives the same packets again.
struct ReplayedPackets: IteratorProtocol {
    private var reader: PacketReader

    init(_ bytes: ByteBuffer) { reader = PacketReader(bytes, options: DecodingOptions(isStrict: false)) }

    mutating func next() -> Packet? { (try? reader.next())?.packet }
}
