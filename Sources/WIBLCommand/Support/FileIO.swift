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

    var description: String { "cannot \(action) '\(path)': \(String(cString: strerror(code)))." }

    /// Whether the file does not exist.
    var isMissing: Bool { code == ENOENT }
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
