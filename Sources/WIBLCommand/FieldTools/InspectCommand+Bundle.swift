import ArgumentParser
import NIOCore
import WIBLBundle
import WIBLFormat

extension InspectCommand {
    /// Inspects every `wibl-raw.N` member of a logger bundle, each printed as `bundle.tgz/wibl-raw.N`;
    /// returns the worst exit code.
    func inspectBundle(_ path: String) -> ExitCode {
        let bundle: LoggerBundle
        do {
            bundle = try BundleInput.open(path)
        } catch let error as BundleError {
            report(path, error: error.description)
            return WIBLExitCode.notWIBL
        } catch {
            report(path, error: "\(error)")
            return WIBLExitCode.ioError
        }
        var worst = WIBLExitCode.success
        var members = 0
        let (warnings, error) = BundleInput.forEachWIBLMember(bundle, path: path) { name, bytes in
            members += 1
            do {
                let summary = FileSummary(try WIBLFile.decode(bytes, options: DecodingOptions(isStrict: strict)))
                print(json ? jsonLine(name, summary).serialized() : text(name, summary))
                if !summary.problems.isEmpty { worst = worse(worst, WIBLExitCode.notWIBL) }
            } catch {
                report(name, error: "\(error)")
                worst = worse(worst, WIBLExitCode.notWIBL)
            }
            return true
        }
        for warning in warnings { writeStandardError("warning: \(path): \(warning)\n") }
        if let error {
            report(path, error: error.description)
            worst = worse(worst, WIBLExitCode.notWIBL)
        } else if members == 0 {
            report(path, error: "the bundle has no wibl-raw.N members.")
            worst = worse(worst, WIBLExitCode.notWIBL)
        }
        return worst
    }
}
