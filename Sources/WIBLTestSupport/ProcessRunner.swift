import Foundation

/// The result of running a program to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program with arguments (and optional extra environment), capturing its output.
/// Test-support only: Foundation is fine here.
public func runProcess(
    _ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
    removing: [String] = []
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for key in removing { env[key] = nil }
    env.merge(extra) { _, new in new }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes fully before waiting, so a chatty child cannot block on a full pipe.
    let errData = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errBytes = awaitSync(errData)
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errBytes, as: UTF8.self))
}

/// Runs the built `wibl` (see ``Fixtures/wiblExecutable``).
public func runWIBL(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws -> ProcessResult {
    try runProcess(Fixtures.wiblExecutable, arguments, environment: environment, removing: removing)
}

private func awaitSync<T: Sendable>(_ task: Task<T, Never>) -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = Box<T>()
    Task {
        box.value = await task.value
        semaphore.signal()
    }
    semaphore.wait()
    guard let value = box.value else { preconditionFailure("the task always sets a value") }
    return value
}

/// Written once by the task above before the semaphore is signalled, read after: no race.
private final class Box<T>: @unchecked Sendable {
    var value: T?
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

/// The `csbschema` validator: `WIBL_CSBSCHEMA`, else `csbschema` on the PATH.
public func csbschemaValidate(_ path: String) throws -> (valid: Bool, errorPaths: [String], output: String) {
    let tool = ProcessInfo.processInfo.environment["WIBL_CSBSCHEMA"] ?? "/usr/bin/env"
    let arguments = tool == "/usr/bin/env" ? ["csbschema", "validate", "-f", path] : ["validate", "-f", path]
    let result = try runProcess(tool, arguments)
    let output = result.stdout + result.stderr
    let paths = output.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("Path: "), let comma = line.firstIndex(of: ",") else { return nil }
        return String(line[line.index(line.startIndex, offsetBy: 6)..<comma])
    }
    return (output.contains("successfully validated"), paths, output)
}
