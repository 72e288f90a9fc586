import WIBLSystem

/// Small POSIX file helpers, so the S3 module needs no Foundation (the Lambda `bootstrap` must not
/// link it; `STYLE.md`, "Foundation only at the edges").
enum LocalFile {
    /// The text of `strerror(errno)`.
    static func errorText(_ code: Int32) -> String { SystemError.reason(code) }

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
        do {
            return try readWholeFile(path, limit: limit)
        } catch let error as SystemError {
            if error.code == ENOENT || error.code == ENOTDIR { return nil }
            throw LocalFileError(path: path, reason: SystemError.reason(error.code))
        } catch {
            throw LocalFileError(path: path, reason: "larger than \(limit) bytes")
        }
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
