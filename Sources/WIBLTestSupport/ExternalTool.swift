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
        let result = try runChildProcess(executable, arguments, environment: ProcessInfo.processInfo.environment)
        return ToolResult(
            status: result.exitCode, standardOutput: result.standardOutput, standardError: result.standardError)
    }

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
