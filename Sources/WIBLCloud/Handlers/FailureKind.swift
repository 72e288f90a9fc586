import Logging
import S3
import WIBLLedger

/// Whether a failure may go away if the invocation is tried again (Lambda's retries): S3 5xx or
/// throttling, connection failures and time-outs, ledger contention, the invocation's deadline.
/// Everything else (a file that is not WIBL, a missing key, access denied) would fail the same way.
public func isTransientFailure(_ error: any Error) -> Bool {
    switch error {
    case is CancellationError, is DeadlineExceeded: return true
    case let ledger as LedgerError: return ledger.isTransient
    case let s3 as S3Error:
        switch s3 {
        case .transport, .timedOut, .unresolvableHost, .bodyLengthMismatch, .credentials: return true
        case .service(_, let status, let code, _, _):
            return RetryPolicy.isRetryable(.httpError(status: status, code: code))
        default: return false
        }
    default: return false
    }
}

extension LedgerError: ClassifiedError {
    /// `LedgerContention`, `LedgerStorage` …
    public var errorClass: String {
        switch self {
        case .malformedEntry: "LedgerMalformedEntry"
        case .contention: "LedgerContention"
        case .storage: "LedgerStorage"
        case .badFileID: "LedgerBadFileID"
        }
    }
}

/// Who is acting, for ledger entries: `<handler> <aws-request-id>`.
func ledgerActor(_ handler: String, logger: Logger) -> String {
    if let id = logger[metadataKey: "aws-request-id"] { return "\(handler) \(id)" }
    return handler
}
