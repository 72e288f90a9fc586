import NIOCore
import WIBLSystem

extension ByteBuffer {
    /// Reads a whole file straight into a buffer (one read pass, no intermediate copy).
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The largest size accepted, in bytes.
    /// - Throws: ``SystemError``, or ``FileTooLargeError`` past `limit`.
    public init(contentsOfFile path: String, limit: Int = .max) throws {
        let file = try ReadableFile(path: path)
        guard file.size <= limit else { throw FileTooLargeError(path: path, size: file.size, limit: limit) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(file.size + 1)
        while true {
            var failure: SystemError?
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 16) { raw -> Int in
                do throws(SystemError) {
                    return try file.read(into: raw)
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            if count == 0 { break }
            if buffer.readableBytes > limit {
                throw FileTooLargeError(path: path, size: buffer.readableBytes, limit: limit)
            }
        }
        self = buffer
    }
}
