/// What a pipeline step or an operator asks the ledger to record.
public enum LedgerAction: Sendable, Hashable {
    /// Processing converted and staged the file.
    case processed(source: LedgerObject, staged: LedgerObject, soundings: Int, vesselID: String, nauticalMiles: Double?)
    /// Processing found a WIBL file it cannot convert.
    case failed(source: LedgerObject?, errorClass: String, message: String)
    /// The file (or its GeoJSON) is not acceptable.
    case invalid(source: LedgerObject?, errorClass: String, message: String)
    /// The file arrived (again) as `source`; recorded only when the key is new.
    case seen(source: LedgerObject)
    /// A submit invocation asks to post the GeoJSON staged at `staged`, until `deadline`.
    case claim(staged: LedgerObject, deadline: Int64)
    /// The claimant (the claim entry's nonce) records DCDB's answer: `submitted`, `refused` or `unknown`.
    case outcome(claimNonce: String, event: LedgerEvent, message: String, httpStatus: Int?, errorClass: String?)
    /// The claimant gives the claim back: nothing reached DCDB.
    case release(claimNonce: String, reason: String)
    /// A stale claim becomes `unknown` (reconcile).
    case expire
    /// An operator asks to convert the file again.
    case reprocess(confirmNotReceived: Bool)
    /// An operator asks to submit the file again.
    case resubmit(confirmNotReceived: Bool)
}

/// The ledger's answer to an action.
public enum LedgerDecision: Sendable, Hashable {
    /// Write this entry (as the next one of the record).
    case append(LedgerEntry)
    /// Nothing to write; the action is already reflected, or it is a duplicate. The reason says which.
    case unchanged(reason: String)
    /// The action is not allowed in the current state (the reason says why); nothing is written.
    case refused(reason: String)
}

/// The transitions of a file's record, as a pure function (no I/O, no clock): tested without network.
///
/// ```
///  (none) ─processed─▶ processed ─claim─▶ claimed ─outcome─▶ submitted | refused | unknown
///    │  └─failed/invalid─▶ failed | invalid            │ └─release─▶ processed
///    │                                                 └─(deadline passes)─expire─▶ unknown
///  pending ◀─reprocess── failed | invalid | refused | processed | unknown (confirmed)
///  processed ◀─resubmit── refused | unknown (confirmed) | stale claim (confirmed)
/// ```
/// `submitted` is final: nothing posts a file twice.
public enum LedgerMachine {
    /// Decides what to record for `action` on `record` at time `now` by `actor`.
    public static func decide(_ action: LedgerAction, on record: LedgerRecord, now: Int64, actor: String)
        -> LedgerDecision
    {
        let state = record.state
        func entry(_ event: LedgerEvent, _ note: String) -> LedgerEntry {
            LedgerEntry(event: event, time: now, actor: actor, note: note)
        }
        switch action {
        case .processed(let source, let staged, let soundings, let vesselID, let miles):
            guard state == nil || state == .pending else { return duplicate(record, source: source) }
            var new = entry(.processed, "converted and staged as \(staged)")
            new.source = source
            new.staged = staged
            new.soundings = soundings
            new.vesselID = vesselID
            new.nauticalMiles = miles
            return .append(new)

        case .failed(let source, let errorClass, let message), .invalid(let source, let errorClass, let message):
            let isFailed: Bool = if case .failed = action { true } else { false }
            // From processing (no record yet, or pending) or from submit's check before the claim.
            guard state == nil || state == .pending || (!isFailed && state == .processed) else {
                if let source { return duplicate(record, source: source) }
                return .unchanged(reason: "already \(state?.rawValue ?? "recorded")")
            }
            var new = entry(isFailed ? .failed : .invalid, message)
            new.source = source
            new.errorClass = errorClass
            new.message = message
            return .append(new)

        case .seen(let source):
            guard !record.sources.contains(source) else {
                return .unchanged(reason: "duplicate delivery: \(source) is already recorded")
            }
            var new = entry(.seen, "the same bytes arrived again as \(source)")
            new.source = source
            return .append(new)

        case .claim(let staged, let deadline):
            switch state {
            case .processed:
                guard let processed = record.lastProcessed?.staged, processed == staged else {
                    return .unchanged(
                        reason: "duplicate: this file is staged as \(record.lastProcessed?.staged?.description ?? "?")")
                }
                var new = entry(.claimed, "claimed for submission until \(isoTime(microseconds: deadline))")
                new.staged = staged
                new.deadline = deadline
                return .append(new)
            case .claimed:
                if record.isStale(now: now) {
                    return .refused(reason: "a claim passed its deadline with no outcome: DCDB may have the file")
                }
                return .unchanged(reason: "another invocation holds the claim")
            case .submitted: return .unchanged(reason: "already submitted")
            case .unknown: return .refused(reason: "DCDB may already have this file (unknown): not posted again")
            case nil: return .refused(reason: "the file is not in the ledger")
            case .some(let other): return .refused(reason: "the file is \(other.rawValue), not processed")
            }

        case .outcome(let nonce, let event, let message, let status, let errorClass):
            guard [.submitted, .refused, .unknown].contains(event) else {
                return .refused(reason: "\(event.rawValue) is not a DCDB outcome")
            }
            guard let claim = record.activeClaim, claim.nonce == nonce else {
                return .refused(reason: "the claim is no longer this invocation's")
            }
            var new = entry(event, message)
            new.message = message
            new.httpStatus = status
            new.errorClass = errorClass
            return .append(new)

        case .release(let nonce, let reason):
            guard let claim = record.activeClaim, claim.nonce == nonce else {
                return .refused(reason: "the claim is no longer this invocation's")
            }
            var new = entry(.released, "claim released, nothing was sent: \(reason)")
            new.message = reason
            return .append(new)

        case .expire:
            guard record.isStale(now: now), let claim = record.activeClaim else {
                return .unchanged(reason: "no stale claim")
            }
            return .append(
                entry(
                    .expired,
                    "the claim by \(claim.actor) passed its deadline \(isoTime(microseconds: claim.deadline ?? claim.time)) with no outcome"
                ))

        case .reprocess(let confirmed):
            switch record.effectiveState(now: now) {
            case .failed, .invalid, .refused, .processed:
                return .append(entry(.reprocessRequested, "reprocessing requested"))
            case .unknown where confirmed:
                return .append(entry(.reprocessRequested, "reprocessing requested; DCDB confirmed not to have it"))
            case .unknown:
                return .refused(
                    reason: "DCDB may have this file: confirm it did not receive it (--confirm-not-received)")
            case .pending: return .unchanged(reason: "already waiting to be processed")
            case .claimed: return .refused(reason: "a submission is in progress")
            case .submitted: return .refused(reason: "DCDB accepted this file: reprocessing would post it twice")
            case nil: return .refused(reason: "the file is not in the ledger")
            }

        case .resubmit(let confirmed):
            switch record.effectiveState(now: now) {
            case .refused:
                return .append(entry(.resubmitRequested, "resubmission requested"))
            case .unknown where confirmed:
                return .append(entry(.resubmitRequested, "resubmission requested; DCDB confirmed not to have it"))
            case .unknown:
                return .refused(
                    reason: "DCDB may have this file: confirm it did not receive it (--confirm-not-received)")
            case .processed: return .unchanged(reason: "already waiting to be submitted")
            case .claimed: return .refused(reason: "a submission is in progress")
            case .submitted: return .refused(reason: "DCDB accepted this file: it is not posted twice")
            case .pending, .failed, .invalid:
                return .refused(reason: "there is no accepted GeoJSON to submit (\(state?.rawValue ?? "none"))")
            case nil: return .refused(reason: "the file is not in the ledger")
            }
        }
    }

    private static func duplicate(_ record: LedgerRecord, source: LedgerObject) -> LedgerDecision {
        let state = record.state?.rawValue ?? "recorded"
        if record.sources.contains(source) {
            return .unchanged(reason: "duplicate: \(source) is already \(state)")
        }
        return .unchanged(
            reason: "duplicate: the same bytes are already \(state) (as \(record.sources.first?.description ?? "?"))")
    }
}
