import ArgumentParser

/// The exit codes of every `wibl` command, one per class of failure (listed in the README).
///
/// Usage errors keep ArgumentParser's own code (64).
enum WIBLExitCode {
    /// Everything worked.
    static let success = ExitCode(0)
    /// A batch finished, but at least one input failed (the others were done).
    static let someFailed = ExitCode(1)
    /// An input file or folder is missing or unreadable, or an output could not be written.
    static let ioError = ExitCode(3)
    /// The input is not a WIBL file, or it is damaged (truncated, corrupt) in strict mode.
    static let notWIBL = ExitCode(4)
    /// The file was read but processing refused it (no time source, no data, unknown algorithm…).
    static let processingRefused = ExitCode(5)
    /// A configuration file or option is invalid.
    static let configuration = ExitCode(6)
    /// A GeoJSON file failed validation.
    static let invalidGeoJSON = ExitCode(7)
    /// An S3 or network request failed.
    static let remote = ExitCode(8)
    /// No usable AWS credentials, or the service denied access.
    static let credentials = ExitCode(9)
    /// DCDB refused a submission.
    static let submissionRefused = ExitCode(10)
}
