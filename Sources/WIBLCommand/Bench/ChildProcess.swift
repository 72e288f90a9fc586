import NIOCore
import WIBLConversion
import WIBLSystem

/// What a finished child process used.
struct ChildUsage {
    /// Exit status (or 128 + signal number when killed).
    var status: Int32
    /// Wall-clock seconds from spawn to exit.
    var seconds: Double
    /// Peak resident set size of the child, in bytes.
    var peakRSSBytes: Int
}

enum ChildProcessError: Error, CustomStringConvertible {
    case spawnFailed(path: String, errno: Int32)

    var description: String {
        switch self {
        case .spawnFailed(let path, let code): "cannot start '\(path)': \(String(cString: strerror(code)))."
        }
    }
}

/// Runs a program to completion with its output discarded, and measures its wall time and peak RSS.
///
/// The peak comes from `wait4(2)`. Linux carries a process's peak across `exec` into `ru_maxrss`, and
/// `posix_spawn` runs the child in this process's memory until its `exec`, so a child spawned
/// directly would report at least this (large) process's RSS. When GNU time (`/usr/bin/time`) is
/// there, the program runs under it instead: `time` is small, and reports its own child's peak.
func runMeasured(_ path: String, _ arguments: [String], stdoutPath: String = "/dev/null") throws -> ChildUsage {
    let timeTool = "/usr/bin/time"
    let rssFile = "/tmp/wibl-bench-rss-\(getpid())"
    let useTime = access(timeTool, X_OK) == 0
    let program = useTime ? timeTool : path
    let programArguments = useTime ? ["-f", "%M", "-o", rssFile, path] + arguments : arguments
    var usage = try spawnAndWait(program, programArguments, stdoutPath: stdoutPath)
    if useTime {
        defer { unlink(rssFile) }
        if let text = try? ByteBuffer(contentsOfFile: rssFile),
            let kilobytes = Int(
                String(decoding: text.readableBytesView, as: UTF8.self).split(separator: "\n").last ?? "")
        {
            usage.peakRSSBytes = kilobytes * 1024
        }
    }
    return usage
}

private func spawnAndWait(_ path: String, _ arguments: [String], stdoutPath: String) throws -> ChildUsage {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)

    let argv = ([path] + arguments).map { strdup($0) }
    defer { for pointer in argv { free(pointer) } }
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv + [nil]

    let start = SystemClock.monotonicNanoseconds()
    var pid = pid_t()
    let rc = posix_spawn(&pid, path, &actions, nil, &cArgs, environ)
    guard rc == 0 else { throw ChildProcessError.spawnFailed(path: path, errno: rc) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = Double(SystemClock.monotonicNanoseconds() - start) / 1e9
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return ChildUsage(status: exitStatus, seconds: seconds, peakRSSBytes: Int(usage.ru_maxrss) * 1024)
}

/// The path of the running executable (`/proc/self/exe`), so `wibl bench` can run itself.
func currentExecutablePath() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
