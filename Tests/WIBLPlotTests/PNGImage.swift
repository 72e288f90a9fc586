import CZlib

/// A decoded 8-bit RGB or RGBA PNG (what `rsvg-convert` writes), enough to check pixels in tests.
struct PNGImage {
    var width: Int
    var height: Int
    /// RGBA, row by row.
    var pixels: [UInt8]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The colour at (x, y) as (r, g, b, a).
    func pixel(_ x: Int, _ y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        let i = (y * width + x) * 4
        return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }

    init(_ data: [UInt8]) throws {
        guard data.count > 8, Array(data[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw Failure(description: "not a PNG")
        }
        func u32(_ at: Int) -> Int {
            Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3])
        }
        var offset = 8
        var compressed: [UInt8] = []
        var w = 0
        var h = 0
        var colourType = 0
        while offset + 8 <= data.count {
            let length = u32(offset)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = (offset + 8)..<min(data.count, offset + 8 + length)
            if type == "IHDR" {
                w = u32(body.lowerBound)
                h = u32(body.lowerBound + 4)
                guard data[body.lowerBound + 8] == 8, data[body.lowerBound + 12] == 0 else {
                    throw Failure(description: "only 8-bit, non-interlaced PNGs")
                }
                colourType = Int(data[body.lowerBound + 9])
            } else if type == "IDAT" {
                compressed += data[body]
            } else if type == "IEND" {
                break
            }
            offset += 12 + length
        }
        let channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 0
        guard channels > 0, w > 0, h > 0 else { throw Failure(description: "colour type \(colourType)") }
        let rowBytes = w * channels
        var raw = [UInt8](repeating: 0, count: h * (rowBytes + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { throw Failure(description: "zlib \(status)") }
        var image = [UInt8](repeating: 0, count: h * rowBytes)
        for row in 0..<h {
            let filter = raw[row * (rowBytes + 1)]
            for i in 0..<rowBytes {
                let x = Int(raw[row * (rowBytes + 1) + 1 + i])
                let a = i >= channels ? Int(image[row * rowBytes + i - channels]) : 0
                let b = row > 0 ? Int(image[(row - 1) * rowBytes + i]) : 0
                let c = row > 0 && i >= channels ? Int(image[(row - 1) * rowBytes + i - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a)
                    let pb = abs(p - b)
                    let pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Failure(description: "filter \(filter)")
                }
                image[row * rowBytes + i] = UInt8((x + predictor) & 0xFF)
            }
        }
        width = w
        height = h
        if channels == 4 {
            pixels = image
        } else {
            pixels = []
            pixels.reserveCapacity(w * h * 4)
            for i in stride(from: 0, to: image.count, by: 3) { pixels += [image[i], image[i + 1], image[i + 2], 255] }
        }
    }
}
