import NIOCore

/// What `wibl inspect` reports about one file: version, names, metadata, algorithms, elapsed-time
/// span, packet counts and problems.
public struct FileSummary: Sendable {
    /// The first SerialiserVersion.
    public var version: SerialiserVersion?
    /// The last Metadata packet's strings, as stored.
    public var metadata: Metadata?
    /// Whether a JSONMetadata packet is present.
    public var hasJSONMetadata = false
    /// Every AlgorithmRequest, in file order.
    public var algorithms: [AlgorithmRequest] = []
    /// Smallest and largest non-zero elapsed time (ms), if any.
    public var elapsedRange: ClosedRange<UInt32>?
    /// Packet counts by type.
    public var packetCounts: [PacketType: Int] = [:]
    /// NMEA0183 sentence counts by type (bytes 3…5, e.g. `GGA`).
    public var sentenceCounts: [String: Int] = [:]
    /// NMEA0183 sentence counts by talker and type (bytes 1…5, e.g. `GPGGA`).
    public var talkerSentenceCounts: [String: Int] = [:]
    /// Decoder problems (non-strict).
    public var problems: [WIBLDecodeError] = []
    /// Size of the file in bytes.
    public var byteCount = 0

    /// Creates an empty summary.
    public init() {}

    /// Summarises a decoded file.
    public init(_ file: WIBLFile) {
        self.init()
        byteCount = file.byteCount
        problems = file.problems
        var low = UInt32.max
        var high = UInt32(0)
        for packet in file.packets {
            packetCounts[packet.type, default: 0] += 1
            let e = packet.elapsed
            if e != 0 {
                low = min(low, e)
                high = max(high, e)
            }
            switch packet {
            case .serialiserVersion(let v) where version == nil: version = v
            case .metadata(let m): metadata = m
            case .jsonMetadata: hasJSONMetadata = true
            case .algorithmRequest(let a): algorithms.append(a)
            case .serialString(let s):
                let bytes = s.data.readableBytesView
                sentenceCounts[String(decoding: bytes.dropFirst(3).prefix(3), as: UTF8.self), default: 0] += 1
                talkerSentenceCounts[String(decoding: bytes.dropFirst(1).prefix(5), as: UTF8.self), default: 0] += 1
            default: break
            }
        }
        if low <= high { elapsedRange = low...high }
    }
}
