#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small POSIX file helpers, so the S3 module needs no Foundation (the Lambda `bootstrap` must not
/// link it; `STYLE.md`, "Foundation only at the edges").
enum LocalFile {
    /// The text of `strerror(errno)`.
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Whether a regular file exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Reads a whole small file (at most `limit` bytes).
    ///
    /// - Returns: `nil` if the file does not exist.
    /// - Throws: ``LocalFileError`` if it exists but cannot be read, or is larger than `limit`.
    static func readSmallFile(_ path: String, limit: Int = 1 << 20) throws(LocalFileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw LocalFileError(path: path, reason: errorText(code))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LocalFileError(path: path, reason: errorText(errno))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > limit { throw LocalFileError(path: path, reason: "larger than \(limit) bytes") }
        }
        return bytes
    }

    /// The home directory: `$HOME`, else the password database.
    static func homeDirectory(environment: [String: String]) -> String? {
        if let home = environment["HOME"], !home.isEmpty { return home }
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}

/// A local file could not be read.
struct LocalFileError: Error, Sendable {
    var path: String
    var reason: String
}
