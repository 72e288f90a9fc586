import CZlib

/// Decompresses a whole gzip file (one or more members, RFC 1952) held in memory, on demand, with
/// the system zlib.
///
/// It is a class because zlib's `z_stream` must stay at one address between calls (zlib checks
/// that its state points back to the same stream); it is not `Sendable` and is used by one reader.
public final class GzipInflater {
    private let input: [UInt8]
    private let stream: UnsafeMutablePointer<z_stream>
    private let limits: BundleLimits
    private var isInitialised = false
    private var isFinished = false
    /// Decompressed bytes not yet handed out, from ``pendingStart``.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Bytes decompressed so far.
    public private(set) var totalOut = 0

    /// Prepares to decompress `compressed`.
    ///
    /// - Throws: ``BundleError/notGzip`` when the magic bytes are missing.
    public init(_ compressed: [UInt8], limits: BundleLimits = BundleLimits()) throws(BundleError) {
        guard compressed.count >= 2, compressed[0] == 0x1F, compressed[1] == 0x8B else { throw .notGzip }
        input = compressed
        self.limits = limits
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if isInitialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compressed bytes consumed so far.
    public private(set) var compressedOffset = 0

    /// Up to `count` decompressed bytes (fewer only at the end of the data).
    ///
    /// - Throws: ``BundleError`` for corrupt or truncated data and for the limits.
    public func read(_ count: Int) throws(BundleError) -> [UInt8] {
        while pending.count - pendingStart < count, !isFinished {
            try inflateMore()
        }
        let available = min(count, pending.count - pendingStart)
        let result = Array(pending[pendingStart..<(pendingStart + available)])
        pendingStart += available
        if pendingStart > 1 << 20 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return result
    }

    /// Skips up to `count` decompressed bytes; returns how many were skipped.
    public func skip(_ count: Int) throws(BundleError) -> Int {
        var left = count
        while left > 0 {
            let chunk = try read(min(left, 1 << 16))
            if chunk.isEmpty { break }
            left -= chunk.count
        }
        return count - left
    }

    private func inflateMore() throws(BundleError) {
        if !isInitialised {
            // 15 + 16: a gzip wrapper around a 32 KiB-window deflate stream.
            guard czlib_inflate_init2(stream, 15 + 16) == Z_OK else {
                throw .corruptGzip(compressedOffset: 0, reason: "zlib could not start")
            }
            isInitialised = true
        }
        let chunk = 1 << 16
        var output = [UInt8](repeating: 0, count: chunk)
        let consumedBefore = compressedOffset
        let status: Int32 = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { out in
                // Pointers are set for this call only: they are valid inside these closures.
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress).map {
                    $0 + consumedBefore
                }
                stream.pointee.avail_in = uInt(inputBuffer.count - consumedBefore)
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(chunk)
                let status = inflate(stream, Z_NO_FLUSH)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return status
            }
        }
        let produced = chunk - Int(stream.pointee.avail_out)
        let consumed = input.count - Int(stream.pointee.avail_in)
        compressedOffset = consumed
        totalOut += produced
        if totalOut > limits.maximumDecompressedBytes {
            throw .decompressedSizeLimit(limit: limits.maximumDecompressedBytes)
        }
        if totalOut > limits.ratioCheckThreshold, totalOut / max(1, consumed) > limits.maximumCompressionRatio {
            throw .compressionRatioLimit(ratio: limits.maximumCompressionRatio)
        }
        pending += output[0..<produced]
        switch status {
        case Z_STREAM_END:
            // Another gzip member may follow (RFC 1952 §2.2); trailing zero bytes are tolerated.
            let rest = input[consumed...]
            if rest.count >= 2, rest[rest.startIndex] == 0x1F, rest[rest.startIndex + 1] == 0x8B {
                guard inflateReset(stream) == Z_OK else {
                    throw .corruptGzip(compressedOffset: consumed, reason: "zlib could not restart")
                }
            } else if rest.allSatisfy({ $0 == 0 }) {
                isFinished = true
            } else {
                throw .corruptGzip(compressedOffset: consumed, reason: "unexpected bytes after the end of the data")
            }
        case Z_OK, Z_BUF_ERROR:
            // Every call must make progress; without any, the input ended before the stream did.
            if produced == 0 && consumed == consumedBefore { throw .truncatedGzip(compressedOffset: consumed) }
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .corruptGzip(compressedOffset: consumed, reason: message)
        }
    }
}
