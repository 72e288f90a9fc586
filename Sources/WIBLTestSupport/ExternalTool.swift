import Foundation

/// What a finished external program printed and returned.
public struct ToolResult: Sendable {
    /// Exit status (or the signal number for a killed process).
    public var status: Int32
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String
}

/// Runs external programs from tests: the `csbschema` validator and the built `wibl` binary.
/// (Test-only code; Foundation stays out of the product modules.)
public enum ExternalTool {
    /// Runs `executable` with `arguments` to completion.
    public static func run(_ executable: String, _ arguments: [String]) throws -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Output goes to temporary files, so that a chatty child never blocks on a full pipe.
        let folder = FileManager.default.temporaryDirectory
        let outputURL = folder.appendingPathComponent("wibl-tool-\(UUID().uuidString).out")
        let errorURL = folder.appendingPathComponent("wibl-tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        try output.close()
        try error.close()
        return ToolResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// The `csbschema` command: `$WIBL_CSBSCHEMA`, else `csbschema` on `PATH`, else the virtual
    /// environment that `scripts/install-test-tools.sh` makes; `nil` if none exists.
    public static var csbschema: String? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let configured = environment["WIBL_CSBSCHEMA"], !configured.isEmpty { candidates.append(configured) }
        for folder in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(folder)/csbschema") }
        let tools = environment["WIBL_TOOLS_DIR"] ?? ((environment["HOME"] ?? "/root") + "/.cache/wibl-tools")
        candidates.append(tools + "/csbschema-venv/bin/csbschema")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `csbschema validate -f path`; csbschema exits 0 and prints nothing alarming for a valid
    /// file.
    public static func csbschemaValidate(_ path: String) throws -> ToolResult {
        guard let tool = csbschema else {
            throw FixtureError(
                description:
                    "csbschema is not installed: run scripts/install-test-tools.sh, put csbschema on PATH, or set WIBL_CSBSCHEMA"
            )
        }
        return try run(tool, ["validate", "-f", path])
    }
}
