import NIOCore

/// Writes packets in the `.wibl` layout (`wibl-format.md` §4, §8): little-endian, 8-byte header,
/// SerialiserVersion as 16 bytes below 1.3 and 22 from 1.3, length-prefixed strings counted in
/// UTF-8 bytes.
public enum WIBLEncoder {
    /// Appends one packet (header and payload) to `buffer`.
    public static func append(_ packet: Packet, to buffer: inout ByteBuffer) {
        let headerIndex = buffer.writerIndex
        buffer.writeInteger(packet.type.rawValue, endianness: .little)
        buffer.writeInteger(UInt32(0), endianness: .little)  // length, patched below
        let payloadStart = buffer.writerIndex
        writePayload(packet, to: &buffer)
        let length = UInt32(buffer.writerIndex - payloadStart)
        buffer.setInteger(length, at: headerIndex + 4, endianness: .little)
    }

    /// Encodes a list of packets into a new buffer.
    public static func encode(_ packets: [Packet]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for packet in packets { append(packet, to: &buffer) }
        return buffer
    }

    private static func writePayload(_ packet: Packet, to b: inout ByteBuffer) {
        switch packet {
        case .serialiserVersion(let v):
            b.u16(v.major)
            b.u16(v.minor)
            b.version(v.nmea2000)
            b.version(v.nmea0183)
            if v.ordinal >= 1003 { b.version(v.imu) }
        case .systemTime(let p):
            b.u16(p.date)
            b.f64(p.timestamp)
            b.u32(p.elapsed)
            b.writeInteger(p.source)
        case .attitude(let p):
            b.datum(p.time)
            b.f64(p.yaw)
            b.f64(p.pitch)
            b.f64(p.roll)
        case .depth(let p):
            b.datum(p.time)
            b.f64(p.depth)
            b.f64(p.offset)
            b.f64(p.range)
        case .cog(let p):
            b.datum(p.time)
            b.f64(p.courseOverGround)
            b.f64(p.speedOverGround)
        case .gnss(let p):
            b.datum(p.time)
            b.u16(p.msgDate)
            b.f64(p.msgTimestamp)
            b.f64(p.latitude)
            b.f64(p.longitude)
            b.f64(p.altitude)
            b.writeInteger(p.receiverType)
            b.writeInteger(p.receiverMethod)
            b.writeInteger(p.numSVs)
            b.f64(p.horizontalDOP)
            b.f64(p.positionDOP)
            b.f64(p.separation)
            b.writeInteger(p.numRefStations)
            b.writeInteger(p.refStationType)
            b.u16(p.refStationID)
            b.f64(p.correctionAge)
        case .environment(let p):
            b.datum(p.time)
            b.writeInteger(p.tempSource)
            b.f64(p.temperature)
            b.writeInteger(p.humiditySource)
            b.f64(p.humidity)
            b.f64(p.pressure)
        case .temperature(let p), .humidity(let p), .pressure(let p):
            b.datum(p.time)
            b.writeInteger(p.source)
            b.f64(p.value)
        case .serialString(let p):
            b.u32(p.elapsed)
            var data = p.data
            b.writeBuffer(&data)
        case .motion(let p):
            b.u32(p.elapsed)
            for value in [p.ax, p.ay, p.az, p.gx, p.gy, p.gz, p.temperature] {
                b.writeInteger(value.bitPattern, endianness: .little)
            }
        case .metadata(let p):
            b.lstr(Array(p.loggerName.utf8))
            b.lstr(Array(p.shipName.utf8))
        case .algorithmRequest(let p):
            b.lstr(Array(p.name.utf8))
            b.lstr(Array(p.parameters.utf8))
        case .jsonMetadata(let t), .nmea0183Filter(let t), .sensorScales(let t), .setup(let t):
            b.lstr(Array(t.bytes.readableBytesView))
        case .rawIMU(let p):
            b.u32(p.elapsed)
            for value in [p.temperature, p.gx, p.gy, p.gz, p.ax, p.ay, p.az] {
                b.writeInteger(value, endianness: .little)
            }
        case .rawGNSS(let bytes):
            var data = bytes
            b.writeBuffer(&data)
        }
    }
}

extension ByteBuffer {
    fileprivate mutating func u16(_ v: UInt16) { writeInteger(v, endianness: .little) }
    fileprivate mutating func u32(_ v: UInt32) { writeInteger(v, endianness: .little) }
    fileprivate mutating func f64(_ v: Double) { writeInteger(v.bitPattern, endianness: .little) }
    fileprivate mutating func datum(_ d: TimeDatum) {
        u16(d.date)
        f64(d.timestamp)
        u32(d.elapsed)
    }
    fileprivate mutating func version(_ v: SoftwareVersion) {
        u16(v.major)
        u16(v.minor)
        u16(v.patch)
    }
    fileprivate mutating func lstr(_ bytes: [UInt8]) {
        u32(UInt32(bytes.count))
        writeBytes(bytes)
    }
}
