/// A file opened for reading, closed when the last reference goes away.
///
/// The reading primitive under every whole-file reader in the project: callers read into memory
/// they own (a `ByteBuffer`'s writable bytes, an array), so no byte is copied twice. A class, so
/// that its one descriptor is closed exactly once, in `deinit`.
public final class ReadableFile {
    /// The path it was opened with, for messages.
    public let path: String
    /// The size the file had when it was opened, in bytes.
    public let size: Int
    private let descriptor: Int32

    /// Opens a regular file for reading.
    ///
    /// - Throws: ``SystemError`` (`open`/`fstat` failed, or the path is a folder: `EISDIR`).
    public init(path: String) throws(SystemError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("read", path: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SystemError("read", path: path)
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            close(fd)
            throw SystemError("read", path: path, code: EISDIR)
        }
        self.path = path
        self.size = Int(info.st_size)
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at the current position; 0 means the end of the file.
    ///
    /// - Throws: ``SystemError`` when `read(2)` fails (`EINTR` is retried).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = systemRead(descriptor, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw SystemError("read", path: path) }
        }
    }
}

private func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, base, count) }

/// A file that is larger than the reader allows.
public struct FileTooLargeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Its size, in bytes.
    public var size: Int
    /// The limit it exceeds, in bytes.
    public var limit: Int

    /// Creates the error.
    public init(path: String, size: Int, limit: Int) {
        self.path = path
        self.size = size
        self.limit = limit
    }

    /// "'PATH' is N bytes, more than the limit of M bytes."
    public var description: String { "'\(path)' is \(size) bytes, more than the limit of \(limit) bytes." }
}

/// Reads a whole file into a byte array.
///
/// - Parameters:
///   - path: The file.
///   - limit: The largest size accepted, in bytes.
/// - Throws: ``SystemError``, or ``FileTooLargeError`` past `limit` (checked before reading and
///   again while reading, for files that grow).
public func readWholeFile(_ path: String, limit: Int = .max) throws -> [UInt8] {
    let file = try ReadableFile(path: path)
    guard file.size <= limit else { throw FileTooLargeError(path: path, size: file.size, limit: limit) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(file.size)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { chunk.deallocate() }
    while true {
        let n = try file.read(into: chunk)
        if n == 0 { break }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
        if bytes.count > limit { throw FileTooLargeError(path: path, size: bytes.count, limit: limit) }
    }
    return bytes
}
