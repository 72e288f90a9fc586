import WIBLSystem

/// What a finished child process printed and how it exited.
public struct ChildProcessResult: Sendable {
    /// The exit status (or 128 + signal number).
    public var exitCode: Int32
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String
}

/// Runs an executable to completion with exactly `environment`, capturing its output through
/// temporary files (no pipe deadlocks), for end-to-end tests of the built `wibl`.
public func runChildProcess(
    _ executable: String, _ arguments: [String], environment: [String: String]
) throws -> ChildProcessResult {
    var template = Array("/tmp/wibl-child.XXXXXX".utf8CString)
    let folder: String = try template.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress, mkdtemp(base) != nil else {
            throw FixtureError(description: "cannot create a temporary folder")
        }
        return String(cString: base)
    }
    let outPath = folder + "/stdout"
    let errPath = folder + "/stderr"
    defer {
        unlink(outPath)
        unlink(errPath)
        rmdir(folder)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

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
                &pid, executable, &actions, nil, UnsafeMutablePointer(mutating: argvBase),
                UnsafeMutablePointer(mutating: envBase))
        }
    }
    guard status == 0 else {
        throw FixtureError(description: "cannot run \(executable): \(String(cString: strerror(status)))")
    }
    var waitStatus: Int32 = 0
    while waitpid(pid, &waitStatus, 0) < 0 {
        guard errno == EINTR else { throw FixtureError(description: "waitpid failed for \(executable)") }
    }
    let exited = (waitStatus & 0x7F) == 0
    let code = exited ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
    return ChildProcessResult(
        exitCode: code,
        standardOutput: String(decoding: (try? readFile(outPath)) ?? [], as: UTF8.self),
        standardError: String(decoding: (try? readFile(errPath)) ?? [], as: UTF8.self))
}
