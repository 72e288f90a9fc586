import NIOCore

// The payload layout of every packet type (`wibl-format.md` §4), read in place from the
// file's bytes; the framing and the version handling are in `PacketReader.swift`.
extension PacketReader {

    func decodePayload(
        _ type: PacketType, at start: Int, length: Int, index: Int, headerOffset: Int
    ) -> Result<Packet, WIBLDecodeError> {
        if let expected = type.fixedPayloadLength, expected != length {
            return .failure(
                .badPacketLength(index: index, offset: headerOffset, type: type, expected: expected, found: length))
        }
        switch type {
        case .serialiserVersion:
            return buffer.withUnsafeReadableBytes { raw in
                guard length >= 4 else {
                    return .failure(
                        .badPacketLength(index: index, offset: headerOffset, type: type, expected: 16, found: length))
                }
                let major = raw.u16(start)
                let minor = raw.u16(start + 2)
                let hasIMU = Int(major) * 1000 + Int(minor) >= 1003
                let needed = hasIMU ? 22 : 16
                guard length >= needed else {
                    return .failure(
                        .badPacketLength(
                            index: index, offset: headerOffset, type: type, expected: needed, found: length))
                }
                func software(_ at: Int) -> SoftwareVersion {
                    SoftwareVersion(raw.u16(start + at), raw.u16(start + at + 2), raw.u16(start + at + 4))
                }
                return .success(
                    .serialiserVersion(
                        SerialiserVersion(
                            major: major, minor: minor, nmea2000: software(4), nmea0183: software(10),
                            imu: hasIMU ? software(16) : SoftwareVersion(0, 0, 0))))
            }
        case .serialString:
            guard length >= 4 else {
                return .failure(
                    .badPacketLength(index: index, offset: headerOffset, type: type, expected: 4, found: length))
            }
            let elapsed = buffer.withUnsafeReadableBytes { $0.u32(start) }
            return .success(.serialString(SerialString(elapsed: elapsed, data: slice(start + 4, length - 4))))
        case .metadata, .algorithmRequest:
            return twoStrings(type, at: start, length: length, index: index, headerOffset: headerOffset)
        case .jsonMetadata, .nmea0183Filter, .sensorScales, .setup:
            switch lengthPrefixed(
                type, field: Self.textFieldName(type), at: start, end: start + length, index: index,
                headerOffset: headerOffset)
            {
            case .success(let (position, count)):
                let text = TextPayload(bytes: slice(position, count))
                switch type {
                case .jsonMetadata: return .success(.jsonMetadata(text))
                case .nmea0183Filter: return .success(.nmea0183Filter(text))
                case .sensorScales: return .success(.sensorScales(text))
                default: return .success(.setup(text))
                }
            case .failure(let problem):
                return .failure(problem)
            }
        case .rawGNSS:
            return .success(.rawGNSS(slice(start, length)))
        default:
            return .success(buffer.withUnsafeReadableBytes { raw in Self.fixed(type, raw, start) })
        }
    }

    static func textFieldName(_ type: PacketType) -> String {
        switch type {
        case .jsonMetadata: "metadata"
        case .nmea0183Filter: "sentence"
        case .sensorScales: "scales"
        default: "setup"
        }
    }

    /// Position and length of the `lstr` at `position`, checked against `end` (D4).
    func lengthPrefixed(
        _ type: PacketType, field: String, at position: Int, end: Int, index: Int, headerOffset: Int
    ) -> Result<(Int, Int), WIBLDecodeError> {
        guard end - position >= 4 else {
            return .failure(
                .badString(
                    index: index, offset: headerOffset, type: type, field: field, declaredLength: 4,
                    available: max(0, end - position)))
        }
        let count = Int(buffer.withUnsafeReadableBytes { $0.u32(position) })
        let available = end - position - 4
        guard count <= available else {
            return .failure(
                .badString(
                    index: index, offset: headerOffset, type: type, field: field, declaredLength: count,
                    available: available))
        }
        return .success((position + 4, count))
    }

    /// Metadata and AlgorithmRequest: two UTF-8 `lstr`s (§4.12, §4.13; D4, D5).
    func twoStrings(
        _ type: PacketType, at start: Int, length: Int, index: Int, headerOffset: Int
    ) -> Result<Packet, WIBLDecodeError> {
        let names = type == .metadata ? ("loggerName", "shipName") : ("name", "parameters")
        let end = start + length
        let first: (Int, Int)
        switch lengthPrefixed(type, field: names.0, at: start, end: end, index: index, headerOffset: headerOffset) {
        case .success(let value): first = value
        case .failure(let problem): return .failure(problem)
        }
        let second: (Int, Int)
        switch lengthPrefixed(
            type, field: names.1, at: first.0 + first.1, end: end, index: index, headerOffset: headerOffset)
        {
        case .success(let value): second = value
        case .failure(let problem): return .failure(problem)
        }
        func text(_ range: (Int, Int), _ field: String) -> Result<String, WIBLDecodeError> {
            let string = buffer.withUnsafeReadableBytes { raw in
                String(validating: UnsafeRawBufferPointer(rebasing: raw[range.0..<(range.0 + range.1)]), as: UTF8.self)
            }
            guard let string else {
                return .failure(.invalidUTF8(index: index, offset: headerOffset, type: type, field: field))
            }
            return .success(string)
        }
        let a: String
        let b: String
        switch text(first, names.0) {
        case .success(let s): a = s
        case .failure(let problem): return .failure(problem)
        }
        switch text(second, names.1) {
        case .success(let s): b = s
        case .failure(let problem): return .failure(problem)
        }
        return .success(
            type == .metadata
                ? .metadata(Metadata(loggerName: a, shipName: b))
                : .algorithmRequest(AlgorithmRequest(name: a, parameters: b)))
    }

    /// Fixed-layout packets; the length was checked by the caller.
    static func fixed(_ type: PacketType, _ raw: UnsafeRawBufferPointer, _ s: Int) -> Packet {
        func datum() -> TimeDatum { TimeDatum(date: raw.u16(s), timestamp: raw.f64(s + 2), elapsed: raw.u32(s + 10)) }
        switch type {
        case .systemTime:
            return .systemTime(
                SystemTime(date: raw.u16(s), timestamp: raw.f64(s + 2), elapsed: raw.u32(s + 10), source: raw[s + 14]))
        case .attitude:
            return .attitude(
                Attitude(time: datum(), yaw: raw.f64(s + 14), pitch: raw.f64(s + 22), roll: raw.f64(s + 30)))
        case .depth:
            return .depth(Depth(time: datum(), depth: raw.f64(s + 14), offset: raw.f64(s + 22), range: raw.f64(s + 30)))
        case .cog:
            return .cog(COG(time: datum(), courseOverGround: raw.f64(s + 14), speedOverGround: raw.f64(s + 22)))
        case .gnss:
            return .gnss(
                GNSS(
                    time: datum(), msgDate: raw.u16(s + 14), msgTimestamp: raw.f64(s + 16), latitude: raw.f64(s + 24),
                    longitude: raw.f64(s + 32), altitude: raw.f64(s + 40), receiverType: raw[s + 48],
                    receiverMethod: raw[s + 49], numSVs: raw[s + 50], horizontalDOP: raw.f64(s + 51),
                    positionDOP: raw.f64(s + 59), separation: raw.f64(s + 67), numRefStations: raw[s + 75],
                    refStationType: raw[s + 76], refStationID: raw.u16(s + 77), correctionAge: raw.f64(s + 79)))
        case .environment:
            return .environment(
                Environment(
                    time: datum(), tempSource: raw[s + 14], temperature: raw.f64(s + 15), humiditySource: raw[s + 23],
                    humidity: raw.f64(s + 24), pressure: raw.f64(s + 32)))
        case .temperature:
            return .temperature(ScalarObservation(time: datum(), source: raw[s + 14], value: raw.f64(s + 15)))
        case .humidity:
            return .humidity(ScalarObservation(time: datum(), source: raw[s + 14], value: raw.f64(s + 15)))
        case .pressure:
            return .pressure(ScalarObservation(time: datum(), source: raw[s + 14], value: raw.f64(s + 15)))
        case .motion:
            return .motion(
                Motion(
                    elapsed: raw.u32(s), ax: raw.f32(s + 4), ay: raw.f32(s + 8), az: raw.f32(s + 12),
                    gx: raw.f32(s + 16),
                    gy: raw.f32(s + 20), gz: raw.f32(s + 24), temperature: raw.f32(s + 28)))
        default:  // .rawIMU: the only other fixed layout reaching here
            return .rawIMU(
                RawIMU(
                    elapsed: raw.u32(s), temperature: raw.i16(s + 4), gx: raw.i16(s + 6), gy: raw.i16(s + 8),
                    gz: raw.i16(s + 10), ax: raw.i16(s + 12), ay: raw.i16(s + 14), az: raw.i16(s + 16)))
        }
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always) func u16(_ at: Int) -> UInt16 {
        UInt16(littleEndian: loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }
    @inline(__always) func i16(_ at: Int) -> Int16 {
        Int16(littleEndian: loadUnaligned(fromByteOffset: at, as: Int16.self))
    }
    @inline(__always) func u32(_ at: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    @inline(__always) func f64(_ at: Int) -> Double {
        Double(bitPattern: UInt64(littleEndian: loadUnaligned(fromByteOffset: at, as: UInt64.self)))
    }
    @inline(__always) func f32(_ at: Int) -> Float {
        Float(bitPattern: UInt32(littleEndian: loadUnaligned(fromByteOffset: at, as: UInt32.self)))
    }
}
