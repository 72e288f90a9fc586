import NIOCore
import WIBLCloud

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file-system error, with the path and the system's reason.
struct FileError: Error, CustomStringConvertible {
    var path: String
    var action: String
    var code: Int32

    var description: String {
        let reason = String(cString: strerror(code))
        // Some file systems (/proc, /sys) answer "No such file or directory" to mkdir although the
        // parent exists: say what is really wrong.
        if code == ENOENT, let parent = parentFolder(of: path), isDirectory(parent) {
            return "cannot \(action) '\(path)': '\(parent)' exists but does not accept new entries "
                + "(the system said: \(reason)); choose a folder on a writable file system."
        }
        return "cannot \(action) '\(path)': \(reason)."
    }

    /// Whether the file does not exist.
    var isMissing: Bool { code == ENOENT }
}

/// The folder that holds `path` (`/` for `/x`), or `nil` for a bare name.
func parentFolder(of path: String) -> String? {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return nil }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
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
