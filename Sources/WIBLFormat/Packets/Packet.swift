import NIOCore

/// The logger's estimate of real time at reception, first field of packets 2–9
/// (`wibl-format.md` §4.1). Processing uses only ``elapsed``.
public struct TimeDatum: Sendable, Hashable {
    /// Days since 1970-01-01 (logger estimate).
    public var date: UInt16
    /// Seconds since midnight UTC (logger estimate).
    public var timestamp: Double
    /// Milliseconds since logger boot at reception.
    public var elapsed: UInt32

    /// Creates a time datum.
    public init(date: UInt16 = 0, timestamp: Double = -1.0, elapsed: UInt32) {
        self.date = date
        self.timestamp = timestamp
        self.elapsed = elapsed
    }
}

/// A three-part software version (`major.minor.patch`).
public struct SoftwareVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: UInt16
    public var minor: UInt16
    public var patch: UInt16

    /// Creates a version.
    public init(_ major: UInt16, _ minor: UInt16, _ patch: UInt16) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// `M.m.p`, e.g. `1.0.0`.
    public var description: String { "\(major).\(minor).\(patch)" }
}

/// id 0 (`wibl-format.md` §4.2).
public struct SerialiserVersion: Sendable, Hashable {
    public var major: UInt16
    public var minor: UInt16
    public var nmea2000: SoftwareVersion
    public var nmea0183: SoftwareVersion
    /// Only stored for versions ≥ 1.3; `0.0.0` otherwise.
    public var imu: SoftwareVersion

    /// Creates a version packet.
    public init(
        major: UInt16, minor: UInt16,
        nmea2000: SoftwareVersion = .init(1, 0, 0), nmea0183: SoftwareVersion = .init(1, 0, 0),
        imu: SoftwareVersion = .init(0, 0, 0)
    ) {
        self.major = major
        self.minor = minor
        self.nmea2000 = nmea2000
        self.nmea0183 = nmea0183
        self.imu = imu
    }

    /// `major × 1000 + minor`, the ordering the spec uses (`wibl-format.md` §4.2).
    public var ordinal: Int { Int(major) * 1000 + Int(minor) }
}

/// id 1 (`wibl-format.md` §4.3).
public struct SystemTime: Sendable, Hashable {
    public var date: UInt16
    public var timestamp: Double
    public var elapsed: UInt32
    public var source: UInt8

    /// Creates a SystemTime packet.
    public init(date: UInt16, timestamp: Double, elapsed: UInt32, source: UInt8) {
        self.date = date
        self.timestamp = timestamp
        self.elapsed = elapsed
        self.source = source
    }
}

/// id 2 (`wibl-format.md` §4.4), radians.
public struct Attitude: Sendable, Hashable {
    public var time: TimeDatum
    public var yaw: Double
    public var pitch: Double
    public var roll: Double

    /// Creates an Attitude packet.
    public init(time: TimeDatum, yaw: Double, pitch: Double, roll: Double) {
        self.time = time
        self.yaw = yaw
        self.pitch = pitch
        self.roll = roll
    }
}

/// id 3 (`wibl-format.md` §4.5), metres.
public struct Depth: Sendable, Hashable {
    public var time: TimeDatum
    public var depth: Double
    public var offset: Double
    public var range: Double

    /// Creates a Depth packet.
    public init(time: TimeDatum, depth: Double, offset: Double, range: Double) {
        self.time = time
        self.depth = depth
        self.offset = offset
        self.range = range
    }
}

/// id 4 (`wibl-format.md` §4.6).
public struct COG: Sendable, Hashable {
    public var time: TimeDatum
    /// Radians, true.
    public var courseOverGround: Double
    /// m/s.
    public var speedOverGround: Double

    /// Creates a COG packet.
    public init(time: TimeDatum, courseOverGround: Double, speedOverGround: Double) {
        self.time = time
        self.courseOverGround = courseOverGround
        self.speedOverGround = speedOverGround
    }
}

/// id 5 (`wibl-format.md` §4.7).
public struct GNSS: Sendable, Hashable {
    public var time: TimeDatum
    public var msgDate: UInt16
    public var msgTimestamp: Double
    public var latitude: Double
    public var longitude: Double
    public var altitude: Double
    public var receiverType: UInt8
    public var receiverMethod: UInt8
    public var numSVs: UInt8
    public var horizontalDOP: Double
    public var positionDOP: Double
    public var separation: Double
    public var numRefStations: UInt8
    public var refStationType: UInt8
    public var refStationID: UInt16
    public var correctionAge: Double

    /// Creates a GNSS packet.
    public init(
        time: TimeDatum, msgDate: UInt16, msgTimestamp: Double, latitude: Double, longitude: Double,
        altitude: Double, receiverType: UInt8, receiverMethod: UInt8, numSVs: UInt8,
        horizontalDOP: Double, positionDOP: Double, separation: Double, numRefStations: UInt8,
        refStationType: UInt8, refStationID: UInt16, correctionAge: Double
    ) {
        self.time = time
        self.msgDate = msgDate
        self.msgTimestamp = msgTimestamp
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.receiverType = receiverType
        self.receiverMethod = receiverMethod
        self.numSVs = numSVs
        self.horizontalDOP = horizontalDOP
        self.positionDOP = positionDOP
        self.separation = separation
        self.numRefStations = numRefStations
        self.refStationType = refStationType
        self.refStationID = refStationID
        self.correctionAge = correctionAge
    }
}

/// id 6 (`wibl-format.md` §4.8).
public struct Environment: Sendable, Hashable {
    public var time: TimeDatum
    public var tempSource: UInt8
    /// Kelvin.
    public var temperature: Double
    public var humiditySource: UInt8
    /// Percent relative.
    public var humidity: Double
    /// Pascal.
    public var pressure: Double

    /// Creates an Environment packet.
    public init(
        time: TimeDatum, tempSource: UInt8, temperature: Double, humiditySource: UInt8,
        humidity: Double, pressure: Double
    ) {
        self.time = time
        self.tempSource = tempSource
        self.temperature = temperature
        self.humiditySource = humiditySource
        self.humidity = humidity
        self.pressure = pressure
    }
}

/// ids 7, 8, 9: Temperature (kelvin), Humidity (%), Pressure (pascal) (`wibl-format.md` §4.9).
public struct ScalarObservation: Sendable, Hashable {
    public var time: TimeDatum
    public var source: UInt8
    public var value: Double

    /// Creates a scalar observation.
    public init(time: TimeDatum, source: UInt8, value: Double) {
        self.time = time
        self.source = source
        self.value = value
    }
}

/// id 10: one NMEA0183 sentence as received (`wibl-format.md` §4.10).
public struct SerialString: Sendable, Hashable {
    public var elapsed: UInt32
    /// The sentence bytes, a slice of the file's buffer (not a copy).
    public var data: ByteBuffer

    /// Creates a SerialString packet.
    public init(elapsed: UInt32, data: ByteBuffer) {
        self.elapsed = elapsed
        self.data = data
    }
}

/// id 11 (`wibl-format.md` §4.11).
public struct Motion: Sendable, Hashable {
    public var elapsed: UInt32
    public var ax: Float
    public var ay: Float
    public var az: Float
    public var gx: Float
    public var gy: Float
    public var gz: Float
    public var temperature: Float

    /// Creates a Motion packet.
    public init(
        elapsed: UInt32, ax: Float, ay: Float, az: Float, gx: Float, gy: Float, gz: Float,
        temperature: Float
    ) {
        self.elapsed = elapsed
        self.ax = ax
        self.ay = ay
        self.az = az
        self.gx = gx
        self.gy = gy
        self.gz = gz
        self.temperature = temperature
    }
}

/// id 12 (`wibl-format.md` §4.12), as stored: first string, then second string.
///
/// Which string is the unique id is decided by the loader (rule D7), not here.
public struct Metadata: Sendable, Hashable {
    /// First string; the unique id in the reader's order.
    public var loggerName: String
    /// Second string; the ship name in the reader's order.
    public var shipName: String

    /// Creates a Metadata packet.
    public init(loggerName: String, shipName: String) {
        self.loggerName = loggerName
        self.shipName = shipName
    }
}

/// id 13 (`wibl-format.md` §4.13).
public struct AlgorithmRequest: Sendable, Hashable {
    public var name: String
    public var parameters: String

    /// Creates an AlgorithmRequest packet.
    public init(name: String, parameters: String) {
        self.name = name
        self.parameters = parameters
    }
}

/// Packets 14, 15, 16 and 18 carry one length-prefixed text, kept as raw bytes: it is decoded
/// (UTF-8, JSON) only when someone asks for it (`wibl-format.md` §7, D6).
public struct TextPayload: Sendable, Hashable {
    /// The string's bytes, a slice of the file's buffer.
    public var bytes: ByteBuffer

    /// Creates a text payload from bytes.
    public init(bytes: ByteBuffer) { self.bytes = bytes }

    /// Creates a text payload from a string's UTF-8.
    public init(_ string: String) { self.bytes = ByteBuffer(string: string) }

    /// The text, if the bytes are valid UTF-8.
    public var string: String? { String(validating: bytes.readableBytesView, as: UTF8.self) }
}

/// id 17 (`wibl-format.md` §4.17): raw LSM6DSL registers.
public struct RawIMU: Sendable, Hashable {
    public var elapsed: UInt32
    public var temperature: Int16
    public var gx: Int16
    public var gy: Int16
    public var gz: Int16
    public var ax: Int16
    public var ay: Int16
    public var az: Int16

    /// Creates a RawIMU packet.
    public init(
        elapsed: UInt32, temperature: Int16, gx: Int16, gy: Int16, gz: Int16, ax: Int16, ay: Int16,
        az: Int16
    ) {
        self.elapsed = elapsed
        self.temperature = temperature
        self.gx = gx
        self.gy = gy
        self.gz = gz
        self.ax = ax
        self.ay = ay
        self.az = az
    }
}

/// One decoded packet (`wibl-format.md` §3–§4).
public enum Packet: Sendable, Hashable {
    case serialiserVersion(SerialiserVersion)
    case systemTime(SystemTime)
    case attitude(Attitude)
    case depth(Depth)
    case cog(COG)
    case gnss(GNSS)
    case environment(Environment)
    case temperature(ScalarObservation)
    case humidity(ScalarObservation)
    case pressure(ScalarObservation)
    case serialString(SerialString)
    case motion(Motion)
    case metadata(Metadata)
    case algorithmRequest(AlgorithmRequest)
    case jsonMetadata(TextPayload)
    case nmea0183Filter(TextPayload)
    case sensorScales(TextPayload)
    case rawIMU(RawIMU)
    case setup(TextPayload)
    /// Unreleased 1.4 packet: 1024 bytes of raw UBX, kept as a slice.
    case rawGNSS(ByteBuffer)

    /// The packet's type.
    public var type: PacketType {
        switch self {
        case .serialiserVersion: .serialiserVersion
        case .systemTime: .systemTime
        case .attitude: .attitude
        case .depth: .depth
        case .cog: .cog
        case .gnss: .gnss
        case .environment: .environment
        case .temperature: .temperature
        case .humidity: .humidity
        case .pressure: .pressure
        case .serialString: .serialString
        case .motion: .motion
        case .metadata: .metadata
        case .algorithmRequest: .algorithmRequest
        case .jsonMetadata: .jsonMetadata
        case .nmea0183Filter: .nmea0183Filter
        case .sensorScales: .sensorScales
        case .rawIMU: .rawIMU
        case .setup: .setup
        case .rawGNSS: .rawGNSS
        }
    }

    /// The stored elapsed time for packets that have one (ids 1–11, 17), and 0 for every other
    /// packet (`wibl-format.md` §6: 0 means "no elapsed time").
    public var elapsed: UInt32 {
        switch self {
        case .systemTime(let p): p.elapsed
        case .attitude(let p): p.time.elapsed
        case .depth(let p): p.time.elapsed
        case .cog(let p): p.time.elapsed
        case .gnss(let p): p.time.elapsed
        case .environment(let p): p.time.elapsed
        case .temperature(let p), .humidity(let p), .pressure(let p): p.time.elapsed
        case .serialString(let p): p.elapsed
        case .motion(let p): p.elapsed
        case .rawIMU(let p): p.elapsed
        default: 0
        }
    }
}
