/// The packet types of a `.wibl` file, by their on-disk id (`wibl-format.md` §3).
///
/// The case names follow the canonical names of the spec (the enumeration names of the original
/// reader); ``name`` gives the exact spelling used in user-facing output.
public enum PacketType: UInt32, Sendable, CaseIterable, Hashable, Comparable {
    case serialiserVersion = 0
    case systemTime = 1
    case attitude = 2
    case depth = 3
    case cog = 4
    case gnss = 5
    case environment = 6
    case temperature = 7
    case humidity = 8
    case pressure = 9
    case serialString = 10
    case motion = 11
    case metadata = 12
    case algorithmRequest = 13
    case jsonMetadata = 14
    case nmea0183Filter = 15
    case sensorScales = 16
    case rawIMU = 17
    case setup = 18
    /// Unreleased serialiser 1.4 only (`wibl-format.md` §4.19).
    case rawGNSS = 19

    /// The canonical name of the spec, e.g. `SerialiserVersion`, `GNSS`, `SerialString`.
    public var name: String {
        switch self {
        case .serialiserVersion: "SerialiserVersion"
        case .systemTime: "SystemTime"
        case .attitude: "Attitude"
        case .depth: "Depth"
        case .cog: "COG"
        case .gnss: "GNSS"
        case .environment: "Environment"
        case .temperature: "Temperature"
        case .humidity: "Humidity"
        case .pressure: "Pressure"
        case .serialString: "SerialString"
        case .motion: "Motion"
        case .metadata: "Metadata"
        case .algorithmRequest: "AlgorithmRequest"
        case .jsonMetadata: "JSONMetadata"
        case .nmea0183Filter: "NMEA0183Filter"
        case .sensorScales: "SensorScales"
        case .rawIMU: "RawIMU"
        case .setup: "Setup"
        case .rawGNSS: "RawGNSS"
        }
    }

    /// The exact payload size of fixed-layout packets (`wibl-format.md` §3), or `nil` for
    /// variable-length packets.
    public var fixedPayloadLength: Int? {
        switch self {
        case .systemTime: 15
        case .attitude: 38
        case .depth: 38
        case .cog: 30
        case .gnss: 87
        case .environment: 40
        case .temperature, .humidity, .pressure: 23
        case .motion: 32
        case .rawIMU: 18
        case .rawGNSS: 1024
        default: nil
        }
    }

    /// Orders packet types by id.
    public static func < (lhs: PacketType, rhs: PacketType) -> Bool { lhs.rawValue < rhs.rawValue }
}
