import JSONValue
import NIOCore
import WIBLBundle
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// Logger bundles (`.tgz`) as inputs of `wibl convert`, `inspect`, `plot` and `summary`.
enum BundleInput {
    /// The limits: the defaults, with the decompressed-size cap from `WIBL_BUNDLE_MAX_BYTES` if set.
    static var limits: BundleLimits {
        var limits = BundleLimits()
        if let text = Environment.nonEmpty("WIBL_BUNDLE_MAX_BYTES"), let value = Int(text), value > 0 {
            limits.maximumDecompressedBytes = value
        }
        return limits
    }

    /// Opens a bundle file.
    ///
    /// - Throws: `FileReadError` (I/O) or ``BundleError``.
    static func open(_ path: String) throws -> LoggerBundle {
        let bytes = try ByteBuffer(contentsOfFile: path)
        return try LoggerBundle(compressed: Array(bytes.readableBytesView), limits: limits)
    }

    /// Calls `body` with each `wibl-raw.N` member (as `bundle.tgz/wibl-raw.N` and its bytes), in
    /// archive order, one member in memory at a time, until `body` returns `false`; returns the
    /// bundle's warnings and the error that stopped it, if any (members handed over before it stay
    /// handed over).
    static func forEachWIBLMember(
        _ bundle: LoggerBundle, path: String, _ body: (String, ByteBuffer) -> Bool
    ) -> (warnings: [BundleWarning], error: BundleError?) {
        do {
            while let member = try bundle.nextWIBLFile() {
                guard body(path + "/" + member.name, ByteBuffer(bytes: member.bytes)) else { break }
            }
            return (bundle.warnings, nil)
        } catch {
            return (bundle.warnings, error)
        }
    }

    /// `wibl convert` of one bundle: one GeoJSON per `wibl-raw.N` member, at
    /// `<outputDir or the bundle's folder>/<bundle stem>/wibl-raw.N.geojson`.
    static func convert(
        _ path: String, outputDir: String?, settings: (ProcessingConfiguration, GeoJSONSettings)
    ) -> [FileOutcome] {
        let bundle: LoggerBundle
        do {
            bundle = try open(path)
        } catch let error as BundleError {
            return [failure(path, error)]
        } catch {
            var outcome = FileOutcome(input: path)
            outcome.error = "\(error)"
            outcome.errorClass = "IOError"
            outcome.exitCode = WIBLExitCode.ioError
            return [outcome]
        }
        let folder: String
        if let outputDir {
            folder = outputDir.hasSuffix("/") ? outputDir : outputDir + "/"
        } else if let slash = path.lastIndex(of: "/") {
            folder = String(path[...slash])
        } else {
            folder = ""
        }
        var outcomes: [FileOutcome] = []
        let (warnings, error) = forEachWIBLMember(bundle, path: path) { name, bytes in
            let output = folder + LoggerBundle.outputName(bundle: path, member: name)
            outcomes.append(convertBytes(bytes, input: name, to: output, settings: settings))
            return true
        }
        for warning in warnings { writeStandardError("warning: \(path): \(warning)\n") }
        if let error { outcomes.append(failure(path, error)) }
        if outcomes.isEmpty {
            var outcome = FileOutcome(input: path)
            outcome.error = "the bundle has no wibl-raw.N members."
            outcome.errorClass = "EmptyBundle"
            outcome.exitCode = WIBLExitCode.notWIBL
            outcomes.append(outcome)
        }
        return outcomes
    }

    static func failure(_ path: String, _ error: BundleError) -> FileOutcome {
        var outcome = FileOutcome(input: path)
        outcome.error = "\(path): \(error.description)"
        outcome.errorClass = error.errorClass
        outcome.exitCode = WIBLExitCode.notWIBL
        return outcome
    }
}
