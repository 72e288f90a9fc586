import ArgumentParser
import JSONValue
import NIOCore
import WIBLBundle
import WIBLConversion
import WIBLFormat

extension InspectCommand {
    /// Inspects every `wibl-raw.N` member of a logger bundle, each reported as `bundle.tgz/…/wibl-raw.N`
    /// (printed, or appended to `entries` for `--json`); returns the failures (empty when clean).
    func inspectBundle(_ path: String, into entries: inout [JSONValue]) -> [ExitCode] {
        var failures: [ExitCode] = []
        var jsonEntries: [JSONValue] = []
        func fail(_ name: String, _ message: String, _ code: ExitCode) {
            if json { jsonEntries.append(.object(["file": .string(name), "errors": [.string(message)]])) }
            writeStandardError("Error: \(name): \(message)\n")
            failures.append(code)
        }
        let bundle: LoggerBundle
        do {
            bundle = try BundleInput.open(path)
        } catch let error as BundleError {
            fail(path, error.description, WIBLExitCode.notWIBL)
            entries += jsonEntries
            return failures
        } catch {
            fail(path, "\(error)", WIBLExitCode.exitCode(for: error))
            entries += jsonEntries
            return failures
        }
        var members = 0
        let (warnings, error) = BundleInput.forEachWIBLMember(bundle, path: path) { name, bytes in
            members += 1
            do {
                let summary = FileSummary(try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: strict)))
                if json {
                    jsonEntries.append(jsonLine(name, summary))
                } else {
                    print(text(name, summary))
                }
                if !summary.problems.isEmpty { failures.append(WIBLExitCode.notWIBL) }
            } catch {
                fail(name, "\(error)", WIBLExitCode.notWIBL)
            }
            return true
        }
        for warning in warnings { writeStandardError("warning: \(path): \(warning)\n") }
        if let error {
            fail(path, error.description, WIBLExitCode.notWIBL)
        } else if members == 0 {
            fail(path, "the bundle has no wibl-raw.N members.", WIBLExitCode.notWIBL)
        }
        entries += jsonEntries
        return failures
    }
}
