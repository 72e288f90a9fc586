import Foundation

/// The result of running a program to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program with arguments (and extra environment, less `removing`), capturing its output
/// through files (no pipes, no tasks: safe to call from parallel tests).
public func runProcess(
    _ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
    removing: [String] = []
) throws -> ProcessResult {
    var env = ProcessInfo.processInfo.environment
    for key in removing { env[key] = nil }
    env.merge(extra) { _, new in new }
    let result = try runChildProcess(executable, arguments, environment: env)
    return ProcessResult(status: result.exitCode, stdout: result.standardOutput, stderr: result.standardError)
}

/// Runs the built `wibl` (see ``Fixtures/wiblExecutable``).
public func runWIBL(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws
    -> ProcessResult
{
    try runProcess(Fixtures.wiblExecutable, arguments, environment: environment, removing: removing)
}

/// A new empty folder under the system's temporary folder.
public func makeTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "wibl-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The files in a folder (names only), sorted.
public func listFolder(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// Writes bytes to a file.
public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}
