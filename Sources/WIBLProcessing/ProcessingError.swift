/// Why a file was refused by the processing, in the order they are checked (`processing.md` §13,
/// §15 P12): version, algorithms, time source, data, time reference, position.
public enum ProcessingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A SerialiserVersion newer than 1.3.
    case newerDataFile(major: UInt16, minor: UInt16)
    /// The file requests an algorithm that does not exist (§11.1).
    case unknownAlgorithm(name: String, fileName: String)
    /// An algorithm parameter string that is neither empty nor `k=v[,k=v…]` (P8).
    case badAlgorithmParameters(name: String, parameters: String)
    /// None of SystemTime, GNSS, ZDA, RMC was seen (§5).
    case noTimeSource
    /// No depth observation reached the depth table (§7), or an algorithm removed them all (P10).
    case noData(algorithm: String?)
    /// The time source was chosen but no usable time point exists (P5).
    case noTimeReference(source: String)
    /// Depths exist but no position does (P6).
    case noPosition
    /// A stored elapsed time does not fit the configured counter width (P11).
    case elapsedWidthMismatch(packetIndex: Int, elapsed: UInt32, width: Int)
    /// A Metadata, AlgorithmRequest, JSONMetadata or Setup packet holds more than ``PacketLimits``
    /// allow (checked with the version, in file order; `packetIndex` counts decoded packets).
    case packetTooLarge(type: String, packetIndex: Int, bytes: Int, limit: Int)
    /// Accurate mode left every depth observation out (no time or position covers them, no data …).
    case noSoundingKept(leftOut: SoundingsLeftOut)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .newerDataFile(let major, let minor):
            "the file's serialiser version \(major).\(minor) is newer than 1.3, the newest this version of wibl can read."
        case .unknownAlgorithm(let name, let fileName):
            "Unknown algorithm '\(name)' for \(fileName)."
        case .badAlgorithmParameters(let name, let parameters):
            "algorithm '\(name)' has parameters '\(parameters)', which are not 'key=value' pairs separated by commas."
        case .noTimeSource:
            "the file has no time source (no SystemTime, GNSS, ZDA or RMC data)."
        case .noData(let algorithm?):
            "no soundings are left after algorithm '\(algorithm)'."
        case .noData(nil):
            "the file has no depth observations."
        case .noTimeReference(let source):
            "the time source is \(source), but none of its packets gives a usable time."
        case .noPosition:
            "the file has depth observations but no usable position."
        case .elapsedWidthMismatch(let index, let elapsed, let width):
            "packet \(index) has elapsed time \(elapsed) ms, which does not fit the configured \(width)-bit counter (elapsed_time_width)."
        case .packetTooLarge(let type, let index, let bytes, let limit):
            "packet \(index) (\(type)) holds \(bytes) bytes of text, more than the \(limit) one packet may hold."
        case .noSoundingKept(let leftOut):
            "accurate mode left every sounding out (\(leftOut))."
        }
    }

    /// A short class name for summaries and tags, e.g. `NoTimeSource`.
    public var errorClass: String {
        switch self {
        case .newerDataFile: "NewerDataFile"
        case .unknownAlgorithm: "UnknownAlgorithm"
        case .badAlgorithmParameters: "BadAlgorithmParameters"
        case .noTimeSource: "NoTimeSource"
        case .noData: "NoData"
        case .noTimeReference: "NoTimeReference"
        case .noPosition: "NoPosition"
        case .elapsedWidthMismatch: "ElapsedWidthMismatch"
        case .packetTooLarge: "PacketTooLarge"
        case .noSoundingKept: "NoSoundingKept"
        }
    }
}

/// Something worth telling the user that did not stop the processing.
public enum ProcessingWarning: Sendable, Hashable, CustomStringConvertible {
    /// D7: the Metadata strings were in firmware order and were swapped.
    case metadataSwapped(uniqueID: String, shipName: String)
    /// P4: soundings with a non-finite depth, time or position were left out.
    case nonFiniteSoundings(count: Int)
    /// Faults met while reading packets or sentences of one name (§14).
    case faults(name: String, kind: FaultKind, count: Int)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .metadataSwapped(let id, let ship):
            "the Metadata packet has the ship name first (firmware order); used unique id '\(id)' and ship name '\(ship)' as the Setup packet says."
        case .nonFiniteSoundings(let count):
            "\(count) sounding(s) with a non-finite depth, time or position were left out."
        case .faults(let name, let kind, let count):
            "\(count) \(kind.rawValue) fault(s) in \(name) data."
        }
    }
}

/// Kinds of faults counted per packet or sentence name (`processing.md` §14, P1).
public enum FaultKind: String, Sendable, Hashable, CaseIterable {
    case parse, short, decode, attribute, type, checksum
}
