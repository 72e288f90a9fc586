/// The state of one logger file in the ledger (issue 10). See README, "Operating the pipeline".
public enum LedgerState: String, Sendable, Hashable, CaseIterable {
    /// Known, waiting to be converted (an operator asked for `wibl reprocess`).
    case pending
    /// Converted and written to the staging bucket; waiting to be submitted.
    case processed
    /// A WIBL file that cannot be converted (no time source, unknown algorithm …). Not retried.
    case failed
    /// Not an acceptable input (not a WIBL file, too large, GeoJSON that DCDB would refuse). Not retried.
    case invalid
    /// A submit invocation won the claim and is posting (until its recorded deadline).
    case claimed
    /// DCDB accepted the file (its answer is kept).
    case submitted
    /// DCDB refused the file: a 4xx, `success: false`, or a redirect (its answer is kept).
    case refused
    /// DCDB may or may not have the file (timeout or reset after sending, 5xx, unreadable answer, or a
    /// claim whose invocation never recorded an outcome). Never posted again automatically.
    case unknown
}

/// What one ledger entry records: a state change, or a fact that leaves the state as it was.
public enum LedgerEvent: String, Sendable, Hashable, CaseIterable {
    /// The processing handler converted and staged the file.
    case processed
    /// The processing handler could not convert a WIBL file.
    case failed
    /// The file (or its GeoJSON) is not acceptable.
    case invalid
    /// The same bytes arrived under another key (state unchanged).
    case seen
    /// A submit invocation claimed the file.
    case claimed
    /// DCDB accepted it.
    case submitted
    /// DCDB refused it.
    case refused
    /// DCDB's answer is unknown.
    case unknown
    /// The claimant gave the claim back: nothing was sent (DCDB unreachable). Back to `processed`.
    case released
    /// A claim passed its deadline with no outcome (recorded by `reconcile`). Now `unknown`.
    case expired
    /// An operator asked for the file to be converted again (`wibl reprocess`). Now `pending`.
    case reprocessRequested
    /// An operator asked for the file to be submitted again (`wibl resubmit`). Now `processed`.
    case resubmitRequested

    /// The state after this event, given the state before it.
    public func state(after previous: LedgerState?) -> LedgerState {
        switch self {
        case .processed, .released, .resubmitRequested: .processed
        case .failed: .failed
        case .invalid: .invalid
        case .seen: previous ?? .pending
        case .claimed: .claimed
        case .submitted: .submitted
        case .refused: .refused
        case .unknown, .expired: .unknown
        case .reprocessRequested: .pending
        }
    }
}
