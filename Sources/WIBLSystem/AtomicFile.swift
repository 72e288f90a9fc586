private func systemWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int { write(fd, base, count) }

/// Why an output file could not be written. Nothing is left at the destination in any case.
public enum FileOutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The temporary file next to the destination could not be created.
    case cannotCreate(path: String, errno: Int32)
    /// Writing to the temporary file failed (disk full, quota, I/O error…).
    case writeFailed(path: String, errno: Int32)
    /// Flushing the temporary file to disk, or closing it, failed.
    case syncFailed(path: String, errno: Int32)
    /// The finished temporary file could not be renamed to the destination.
    case renameFailed(path: String, destination: String, errno: Int32)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .cannotCreate(let path, let code):
            "cannot create the temporary output file '\(path)': \(Self.reason(code)). Check that the folder exists and is writable."
        case .writeFailed(let path, let code):
            "cannot write the output file '\(path)': \(Self.reason(code))."
        case .syncFailed(let path, let code):
            "cannot flush the output file '\(path)' to disk: \(Self.reason(code))."
        case .renameFailed(let path, let destination, let code):
            "cannot rename '\(path)' to '\(destination)': \(Self.reason(code))."
        }
    }

    private static func reason(_ code: Int32) -> String { SystemError.reason(code) }
}

/// A sink that writes to an open file descriptor: the temporary file of ``AtomicFile``.
///
/// Only ``AtomicFile/write(to:durable:_:)`` creates one and closes its descriptor, so it is not
/// `Sendable` and must not escape the closure it is given to.
public struct FileSink {
    /// The temporary file being written.
    public let temporaryPath: String
    /// Bytes written so far.
    public private(set) var bytesWritten = 0
    fileprivate let descriptor: Int32

    fileprivate init(temporaryPath: String, descriptor: Int32) {
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    ///
    /// - Throws: ``FileOutputError/writeFailed(path:errno:)``.
    public mutating func write(_ bytes: [UInt8]) throws(FileOutputError) {
        do {
            try bytes.withUnsafeBytes { raw in try write(raw) }
        } catch let error as FileOutputError {
            throw error
        } catch {
            throw .writeFailed(path: temporaryPath, errno: EIO)
        }
    }

    /// Writes all of `raw`, retrying short writes and `EINTR`.
    ///
    /// - Throws: ``FileOutputError/writeFailed(path:errno:)``.
    public mutating func write(_ raw: UnsafeRawBufferPointer) throws(FileOutputError) {
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            let n = systemWrite(descriptor, base + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: temporaryPath, errno: errno)
            }
            if n == 0 { throw .writeFailed(path: temporaryPath, errno: EIO) }
            offset += n
        }
        bytesWritten += raw.count
    }
}

/// All-or-nothing output files: write to a temporary name in the destination's folder, then
/// `rename(2)` it over the destination (`STYLE.md`, "Outputs are all or nothing";
/// `geojson-b12.md` §6).
public enum AtomicFile {
    /// Writes a file through `body` and publishes it under `path` only if `body` returns.
    ///
    /// The temporary file is `.<name>.<random>.tmp` in the same folder, so the final `rename(2)` is
    /// atomic. If `body` throws, or any write, flush or the rename fails, the temporary file is
    /// removed and an existing file at `path` is left untouched.
    ///
    /// - Parameters:
    ///   - path: The destination.
    ///   - durable: Whether to `fsync(2)` the data before the rename, so that a crash never leaves
    ///     a truncated file under the final name.
    ///   - body: Writes the content into the sink.
    /// - Returns: What `body` returned.
    /// - Throws: ``FileOutputError``, or whatever `body` threw.
    public static func write<Result>(
        to path: String, durable: Bool = true, _ body: (inout FileSink) throws -> Result
    ) throws -> Result {
        let (temporaryPath, descriptor) = try createTemporary(for: path)
        var isOpen = true
        var isPublished = false
        defer {
            if isOpen { close(descriptor) }
            if !isPublished { unlink(temporaryPath) }
        }
        var sink = FileSink(temporaryPath: temporaryPath, descriptor: descriptor)
        let result = try body(&sink)
        if durable && fsync(descriptor) != 0 {
            throw FileOutputError.syncFailed(path: temporaryPath, errno: errno)
        }
        isOpen = false
        if close(descriptor) != 0 {
            throw FileOutputError.syncFailed(path: temporaryPath, errno: errno)
        }
        guard rename(temporaryPath, path) == 0 else {
            throw FileOutputError.renameFailed(path: temporaryPath, destination: path, errno: errno)
        }
        isPublished = true
        return result
    }

    /// Creates `.<name>.<random>.tmp` next to `path`, exclusively, mode 0644 (less the umask).
    private static func createTemporary(for path: String) throws(FileOutputError) -> (String, Int32) {
        let folder: String
        let name: String
        if let slash = path.lastIndex(of: "/") {
            folder = String(path[...slash])
            name = String(path[path.index(after: slash)...])
        } else {
            folder = ""
            name = path
        }
        var lastError: Int32 = EEXIST
        for _ in 0..<8 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let candidate = folder + "." + name + "." + suffix + ".tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (candidate, fd) }
            lastError = errno
            if lastError != EEXIST { break }
        }
        throw .cannotCreate(path: folder + "." + name + ".*.tmp", errno: lastError)
    }
}
