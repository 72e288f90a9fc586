import NIOPosix
import WIBLSystem

/// What a finished child process printed and how it exited.
public struct ProcessResult: Sendable {
    /// The exit status (or 128 + the signal number).
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String
}

/// Test support could not do its part: start a process, bind a server, find a tool.
public struct TestSupportError: Error, CustomStringConvertible {
    /// What went wrong, as a sentence.
    public var description: String

    /// Creates the error.
    public init(description: String) { self.description = description }
}

/// The environment a child gets: this process's, less `removing`, plus `extra`; or exactly
/// `extra` when `inherit` is false.
func childEnvironment(_ extra: [String: String], removing: [String], inherit: Bool) -> [String: String] {
    var environment = inherit ? Environment.all() : [:]
    for key in removing { environment[key] = nil }
    environment.merge(extra) { _, new in new }
    return environment
}

/// Starts `executable` with standard input from `/dev/null` and both outputs to files.
func spawn(
    _ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    // Threads of Swift's concurrency pool may block signals; a child inherits that mask, and would
    // then ignore the SIGTERM that stops it. Start every child with no signal blocked, defaults for all.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([executable] + arguments).map { strdup($0) }
    let envp = environment.map { strdup("\($0.key)=\($0.value)") }
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer -> Int32 in
        (envp + [nil]).withUnsafeBufferPointer { envBuffer -> Int32 in
            guard let argvBase = argvBuffer.baseAddress, let envBase = envBuffer.baseAddress else { return EINVAL }
            return posix_spawn(
                &pid, executable, &actions, &attributes, UnsafeMutablePointer(mutating: argvBase),
                UnsafeMutablePointer(mutating: envBase))
        }
    }
    guard status == 0 else {
        throw TestSupportError(description: "cannot run \(executable): \(SystemError.reason(status))")
    }
    return pid
}

/// Waits for a child and returns its exit status (128 + signal when killed).
func waitForExit(_ pid: pid_t) throws -> Int32 {
    var waitStatus: Int32 = 0
    while waitpid(pid, &waitStatus, 0) < 0 {
        guard errno == EINTR else { throw TestSupportError(description: "waitpid failed for process \(pid)") }
    }
    return (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
}

/// Runs a program to completion, capturing its output through temporary files (no pipes, no
/// tasks: safe to call from parallel tests). The one way tests run a child process to the end.
///
/// - Parameters:
///   - environment: Variables to add (or, with `inheritEnvironment: false`, the whole environment).
///   - removing: Variables of this process the child must not see.
public func runProcess(
    _ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
    removing: [String] = [], inheritEnvironment: Bool = true
) throws -> ProcessResult {
    let folder = try FileSystem.makeTemporaryFolder(prefix: "wibl-child")
    defer { FileSystem.removeTree(folder) }
    let pid = try spawn(
        executable, arguments, environment: childEnvironment(extra, removing: removing, inherit: inheritEnvironment),
        stdout: folder + "/stdout", stderr: folder + "/stderr")
    let status = try waitForExit(pid)
    return ProcessResult(
        status: status, stdout: String(decoding: (try? readWholeFile(folder + "/stdout")) ?? [], as: UTF8.self),
        stderr: String(decoding: (try? readWholeFile(folder + "/stderr")) ?? [], as: UTF8.self))
}

/// Runs the built `wibl` (see ``Fixtures/wiblExecutable``).
public func runWIBL(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws
    -> ProcessResult
{
    try runProcess(Fixtures.wiblExecutable, arguments, environment: environment, removing: removing)
}

/// A child process that runs while a test does something else (the `bootstrap` under a local
/// Runtime API): both outputs go to one log file, read when it is stopped.
public final class BackgroundProcess: @unchecked Sendable {
    // @unchecked: `pid` and `folder` never change after init; `stop` is called once, by the test.
    /// The child's process id.
    public let pid: pid_t
    private let folder: String

    /// Starts `executable`; its environment is this process's (less `removing`) plus `environment`.
    public init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = [:], removing: [String] = []
    ) throws {
        folder = try FileSystem.makeTemporaryFolder(prefix: "wibl-background")
        pid = try spawn(
            executable, arguments, environment: childEnvironment(environment, removing: removing, inherit: true),
            stdout: folder + "/log", stderr: folder + "/log")
    }

    /// Sends `signal` (default `SIGTERM`), waits for the exit, and returns the status and the log.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) throws -> (status: Int32, log: String) {
        kill(pid, signal)
        let status = try waitForExit(pid)
        let log = String(decoding: (try? readWholeFile(folder + "/log")) ?? [], as: UTF8.self)
        FileSystem.removeTree(folder)
        return (status, log)
    }
}

/// ``runProcess(_:_:environment:removing:inheritEnvironment:)`` on NIO's blocking thread pool, so an
/// async test does not hold a cooperative thread while the child runs (a local server in this
/// process may need one to answer it).
public func runProcessAsync(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], removing: [String] = []
) async throws -> ProcessResult {
    try await NIOThreadPool.singleton.runIfActive {
        try runProcess(executable, arguments, environment: environment, removing: removing)
    }
}
