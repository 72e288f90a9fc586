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
    /// Major version number.
    public var major: UInt16
    /// Minor version number.
    public var minor: UInt16
    /// Patch version number.
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
    /// Serialiser (file format) major version.
    public var major: UInt16
    /// Serialiser (file format) minor version.
    public var minor: UInt16
    /// NMEA2000 logger software version.
    public var nmea2000: SoftwareVersion
    /// NMEA0183 logger software version.
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
    /// Days since 1970-01-01, from the NMEA2000 message (not an estimate).
    public var date: UInt16
    /// Seconds since midnight UTC, from the NMEA2000 message.
    public var timestamp: Double
    /// Milliseconds since logger boot at reception.
    public var elapsed: UInt32
    /// NMEA2000 time source: 0 GPS, 1 GLONASS, 2 radio station, 3 caesium, 4 rubidium, 5 crystal clock.
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
    /// Logger time estimate and elapsed ms at reception (only `elapsed` is used by the processing).
    public var time: TimeDatum
    /// Yaw, radians, positive clockwise from north.
    public var yaw: Double
    /// Pitch, radians, positive bow up.
    public var pitch: Double
    /// Roll, radians, positive port up.
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
    /// Logger time estimate and elapsed ms at reception (only `elapsed` is used by the processing).
    public var time: TimeDatum
    /// Depth below the transducer, metres, as reported on the bus.
    public var depth: Double
    /// Transducer offset, metres: positive = transducer-to-waterline, negative = transducer-to-keel.
    /// Recorded, not applied by the processing.
    public var offset: Double
    /// Maximum range scale of the sounder, metres.
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
    /// Logger time estimate and elapsed ms at reception (only `elapsed` is used by the processing).
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
    /// Logger time estimate and elapsed ms at reception (only `elapsed` is used by the processing).
    public var time: TimeDatum
    /// Days since 1970-01-01, from the GNSS message.
    public var msgDate: UInt16
    /// Seconds since midnight UTC, from the GNSS message.
    public var msgTimestamp: Double
    /// Latitude, degrees, positive north.
    public var latitude: Double
    /// Longitude, degrees, positive east.
    public var longitude: Double
    /// Altitude, metres.
    public var altitude: Double
    /// GNSS system: 0 GPS, 1 GLONASS, 2 GPS+GLONASS, 3 GPS+SBAS/WAAS, 4 GPS+SBAS/WAAS+GLONASS, 5 Chayka,
    /// 6 integrated, 7 surveyed, 8 Galileo.
    public var receiverType: UInt8
    /// Fix method: 0 no GNSS, 1 GNSS fix, 2 DGNSS, 3 precise GNSS, 4 RTK fixed, 5 RTK float, 14 error,
    /// 15 unavailable.
    public var receiverMethod: UInt8
    /// Number of satellites in use.
    public var numSVs: UInt8
    /// Horizontal dilution of precision.
    public var horizontalDOP: Double
    /// Position dilution of precision.
    public var positionDOP: Double
    /// Geoid–ellipsoid separation, metres.
    public var separation: Double
    /// Number of reference stations.
    public var numRefStations: UInt8
    /// Reference station's GNSS system, coded as ``receiverType``.
    public var refStationType: UInt8
    /// Reference station id.
    public var refStationID: UInt16
    /// Age of the differential corrections, seconds.
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
    /// Logger time estimate and elapsed ms at reception (only `elapsed` is used by the processing).
    public var time: TimeDatum
    /// NMEA2000 source code of the temperature.
    public var tempSource: UInt8
    /// Kelvin.
    public var temperature: Double
    /// NMEA2000 source code of the humidity.
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
    /// Logger time estimate and elapsed ms at reception (only `elapsed` is used by the processing).
    public var time: TimeDatum
    /// NMEA2000 source code, e.g. temperature 0 sea / 1 outside, humidity 1 outside, pressure 0 atmospheric.
    public var source: UInt8
    /// The value: temperature in kelvin (id 7), humidity in % (id 8) or pressure in pascal (id 9).
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
    /// Milliseconds since logger boot when the sentence's `$` arrived.
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
    /// Milliseconds since logger boot at reception.
    public var elapsed: UInt32
    /// Acceleration along x, in the sensor library's units (m/s² or g).
    public var ax: Float
    /// Acceleration along y, in the sensor library's units (m/s² or g).
    public var ay: Float
    /// Acceleration along z, in the sensor library's units (m/s² or g).
    public var az: Float
    /// Rotation rate about x, in the sensor library's units (rad/s or °/s).
    public var gx: Float
    /// Rotation rate about y, in the sensor library's units (rad/s or °/s).
    public var gy: Float
    /// Rotation rate about z, in the sensor library's units (rad/s or °/s).
    public var gz: Float
    /// Sensor temperature, °C.
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
    /// Algorithm name, e.g. `nodatareject`.
    public var name: String
    /// Parameter string: normally `key=value` pairs separated by commas, or empty.
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
    /// Milliseconds since logger boot at reception.
    public var elapsed: UInt32
    /// Raw temperature register; °C = raw / `recipTempScale` + `tempOffset` (SensorScales).
    public var temperature: Int16
    /// Raw gyroscope register, x axis; °/s = raw / `recipGyroScale`.
    public var gx: Int16
    /// Raw gyroscope register, y axis; °/s = raw / `recipGyroScale`.
    public var gy: Int16
    /// Raw gyroscope register, z axis; °/s = raw / `recipGyroScale`.
    public var gz: Int16
    /// Raw accelerometer register, x axis; g = raw / `recipAccelScale`.
    public var ax: Int16
    /// Raw accelerometer register, y axis; g = raw / `recipAccelScale`.
    public var ay: Int16
    /// Raw accelerometer register, z axis; g = raw / `recipAccelScale`.
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
