#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import WIBLGeoJSON

/// A file-system error, with the path and the system's reason.
struct FileError: Error, CustomStringConvertible {
    var path: String
    var action: String
    var code: Int32

    var description: String { "cannot \(action) '\(path)': \(String(cString: strerror(code)))." }

    /// Whether the file does not exist.
    var isMissing: Bool { code == ENOENT }
}

/// Reads a whole file into a buffer, sized from `fstat` and checked against what was read.
func readFile(_ path: String) throws -> ByteBuffer {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, action: "open", code: errno) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileError(path: path, action: "read", code: errno) }
    guard (info.st_mode & S_IFMT) != S_IFDIR else { throw FileError(path: path, action: "read", code: EISDIR) }
    var buffer = ByteBuffer()
    buffer.reserveCapacity(Int(info.st_size))
    while true {
        let chunk = max(1 << 16, buffer.writableBytes)
        let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { raw in
            max(0, read(fd, raw.baseAddress, raw.count))
        }
        if count == 0 { break }
    }
    return buffer
}

/// A GeoJSON sink that writes to a temporary file beside the destination and renames it into place
/// only when ``commit()`` is called: a failed conversion leaves no output behind.
final class AtomicFileSink: GeoJSONSink {
    let path: String
    let temporaryPath: String
    private var fd: Int32
    private(set) var bytesWritten = 0

    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { throw FileError(path: path, action: "create a temporary file for", code: errno) }
        self.fd = fd
        self.temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        fchmod(fd, 0o644)
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset) }
            guard n > 0 else {
                if n < 0 && errno == EINTR { continue }
                throw FileError(path: temporaryPath, action: "write", code: n < 0 ? errno : EIO)
            }
            offset += n
        }
        bytesWritten += bytes.count
    }

    /// Flushes and renames the temporary file to the destination.
    func commit() throws {
        guard fd >= 0 else { return }
        let closed = close(fd)
        fd = -1
        guard closed == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw FileError(path: path, action: "write", code: code)
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw FileError(path: path, action: "rename into", code: code)
        }
    }

    /// Removes the temporary file (no-op after ``commit()``).
    func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporaryPath)
    }

    deinit { discard() }
}

/// Creates a folder and its parents (like `mkdir -p`).
func makeFolders(_ path: String) throws {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        if mkdir(current, 0o755) != 0 && errno != EEXIST {
            throw FileError(path: current, action: "create the folder", code: errno)
        }
    }
}

/// Current time in microseconds since the epoch (UTC).
func nowMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
}

/// Seconds on a monotonic clock, for durations.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// The value of an environment variable, if set and not empty.
func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
