#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

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
