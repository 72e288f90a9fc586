import CZlib

/// Builds tar archives member by member, including hostile ones, for the tests.
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    /// Appends a header and its data. `type` is the tar type flag; `prefix` the ustar prefix field.
    mutating func add(
        _ name: String, _ data: [UInt8], type: UInt8 = UInt8(ascii: "0"), link: String = "", prefix: String = "",
        sizeField: [UInt8]? = nil, corruptChecksum: Bool = false
    ) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: [UInt8], at offset: Int, width: Int) {
            for (i, b) in text.prefix(width).enumerated() { header[offset + i] = b }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(Array(name.utf8), at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(sizeField ?? octal(data.count, width: 12), at: 124, width: 12)
        put(octal(1_700_000_000, width: 12), at: 136, width: 12)
        header[156] = type
        put(Array(link.utf8), at: 157, width: 100)
        put(Array("ustar\u{0}00".utf8), at: 257, width: 8)
        put(Array(prefix.utf8), at: 345, width: 155)
        for i in 148..<156 { header[i] = 0x20 }
        var sum = header.reduce(0) { $0 + Int($1) }
        if corruptChecksum { sum += 1 }
        put(octal(sum, width: 7) + [0x20], at: 148, width: 8)
        bytes += header
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// A pax extended header (`x`) with the given records, for the member that follows.
    mutating func addPax(_ records: [(String, String)]) {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).utf8.count + body.utf8.count != length { length += 1 }
            data += Array((String(length) + body).utf8)
        }
        add("PaxHeaders/x", data, type: UInt8(ascii: "x"))
    }

    /// Two zero blocks.
    mutating func finish() { bytes += [UInt8](repeating: 0, count: 1024) }
}

/// gzip-compresses bytes with the system zlib (one member).
func gzip(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    guard czlib_deflate_init2(&stream, level, 15 + 16) == Z_OK else { return [] }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
    let produced: Int = input.withUnsafeBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = uInt(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = uInt(outBuffer.count)
            let status = deflate(&stream, Z_FINISH)
            return status == Z_STREAM_END ? outBuffer.count - Int(stream.avail_out) : -1
        }
    }
    return produced < 0 ? [] : Array(output[0..<produced])
}
