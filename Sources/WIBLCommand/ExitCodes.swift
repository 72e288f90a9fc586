import ArgumentParser
import DCDB
import JSONValue
import S3
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLSystem

/// The exit codes of every `wibl` command, one per class of failure, and the one policy that picks
/// the code (the README's "Exit codes" table; a test per row in `ExitCodePolicyTests`).
///
/// The policy, the same for one file or many:
/// - 0 when everything worked;
/// - an error that stops the command before any file is handled (usage, configuration, no input)
///   gives its own class's code;
/// - otherwise every file that failed contributes its class's code, and the **highest** code wins;
///   files that worked do not change it. So one damaged file gives 4, two damaged files give 4,
///   a damaged file and a file with an unknown algorithm give 5.
enum WIBLExitCode {
    /// Everything worked.
    static let success = ExitCode(0)
    /// Any other failure (a Lambda invocation that reported an error, a benchmark child that failed).
    static let otherFailure = ExitCode(1)
    /// An input file or folder is missing or unreadable, or an output could not be written.
    static let ioError = ExitCode(3)
    /// The input is not a WIBL file, or it is damaged (truncated, corrupt): `inspect`, `convert --strict`.
    static let notWIBL = ExitCode(4)
    /// The file was read but processing refused it (no time source, no data, unknown algorithm…).
    static let processingRefused = ExitCode(5)
    /// A configuration file, option or environment variable is invalid or missing.
    static let configuration = ExitCode(6)
    /// A GeoJSON file failed validation, or is not usable GeoJSON.
    static let invalidGeoJSON = ExitCode(7)
    /// An S3 or network request failed (no answer, unresolvable host, deadline passed, 5xx).
    static let remote = ExitCode(8)
    /// No usable AWS credentials, or the service denied access.
    static let credentials = ExitCode(9)
    /// DCDB answered and refused a submission.
    static let submissionRefused = ExitCode(10)

    /// The one mapping from an error to an exit code, used by every command.
    static func exitCode(for error: any Error) -> ExitCode {
        switch error {
        case let code as ExitCode: return code
        case is ValidationError: return .validationFailure
        case let error as ConversionError:
            switch error {
            case .decode: return notWIBL
            case .processing: return processingRefused
            case .output(.sinkFailed): return ioError
            case .output(.emptyProviderID): return configuration
            case .output: return processingRefused
            }
        case is WIBLDecodeError: return notWIBL
        case is ProcessingError: return processingRefused
        case is ConfigurationError, is ConfigurationLoadError, is SettingError: return configuration
        case is SystemError, is FileTooLargeError, is FileOutputError, is InputFilesError, is AccuracyInputError:
            return ioError
        case is UnusableGeoJSONError: return invalidGeoJSON
        case let error as S3Error:
            switch error {
            case .localFile: return ioError
            case .invalidArgument: return .validationFailure
            case .credentials(_, let underlying): return exitCode(for: underlying)
            default: return error.isAuthenticationFailure ? credentials : remote
            }
        case let error as AWSConfigurationError:
            switch error {
            case .invalidEndpoint, .unreadableFile: return configuration
            default: return credentials
            }
        case let error as DCDBError:
            switch error {
            case .invalidUploadPoint, .invalidProviderID, .missingAuthToken, .unreadableAuthFile: return configuration
            default: return error.isRefusal ? submissionRefused : remote
            }
        default: return otherFailure
        }
    }

    /// The exit code of a command that handled several files: 0 when none failed, else the highest
    /// code among the failures (the same rule for one file or many).
    static func exitCode(for failures: [ExitCode]) -> ExitCode {
        failures.max { $0.rawValue < $1.rawValue } ?? success
    }

    /// A short name for the class of failure behind an exit code, for `--json` output.
    static func errorClass(for error: any Error) -> String {
        if let error = error as? ConversionError { return error.errorClass }
        switch exitCode(for: error).rawValue {
        case 3: return "IOError"
        case 4: return "NotWIBL"
        case 5: return "ProcessingRefused"
        case 6: return "ConfigurationError"
        case 7: return "InvalidGeoJSON"
        case 8: return "NetworkError"
        case 9: return "CredentialsError"
        case 10: return "SubmissionRefused"
        case 64: return "UsageError"
        default: return "Failure"
        }
    }
}

/// A missing or unusable setting (option or environment variable), as a sentence: exit code 6.
struct SettingError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A failure with no class of its own, as a sentence: exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A file that should be B-12 GeoJSON but cannot be used as such (not JSON, no vessel id): exit code 7.
struct UnusableGeoJSONError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command's body. An error that escapes it is reported once — on standard error, or with
/// `--json` as the command's one JSON object on standard output (`jsonBase` plus `error`,
/// `errorClass` and `exitCode`) — and the command exits with ``WIBLExitCode/exitCode(for:)``.
/// A thrown `ExitCode` means the body has already reported; it passes through.
func reportingErrors(json jsonBase: JSONObject? = nil, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        throw report(error, json: jsonBase)
    }
}

/// Reports an error once — on standard error, or as the one JSON object on standard output when
/// `jsonBase` is given (it plus `error`, `errorClass` and `exitCode`) — and returns its exit code.
func report(_ error: any Error, json jsonBase: JSONObject?) -> ExitCode {
    let code = WIBLExitCode.exitCode(for: error)
    if var object = jsonBase {
        object["error"] = .string("\(error)")
        object["errorClass"] = .string(WIBLExitCode.errorClass(for: error))
        object["exitCode"] = .integer(Int64(code.rawValue))
        print(JSONValue.object(object).serialized())
    } else {
        writeStandardError("Error: \(error)\n")
    }
    return code
}
