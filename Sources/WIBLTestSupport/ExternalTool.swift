import WIBLSystem

/// Runs external programs from tests: the `csbschema` validator and the built `wibl` binary.
///
public enum ExternalTool {
    /// The `csbschema` executable: `WIBL_CSBSCHEMA`, else on `PATH`, else the tool installer's venv.
    public static var csbschema: String? {
        let environment = Environment.all()
        var candidates: [String] = []
        if let configured = environment["WIBL_CSBSCHEMA"], !configured.isEmpty { candidates.append(configured) }
        for folder in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(folder)/csbschema") }
        let tools = environment["WIBL_TOOLS_DIR"] ?? ((environment["HOME"] ?? "/root") + "/.cache/wibl-tools")
        candidates.append(tools + "/csbschema-venv/bin/csbschema")
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// Runs `csbschema validate -f path`; csbschema exits 0 and prints nothing alarming for a valid
    /// file.
    public static func csbschemaValidate(_ path: String) throws -> ProcessResult {
        guard let tool = csbschema else {
            throw TestSupportError(
                description:
                    "csbschema is not installed: run scripts/install-test-tools.sh, put csbschema on PATH, or set WIBL_CSBSCHEMA"
            )
        }
        return try runProcess(tool, ["validate", "-f", path])
    }
}
