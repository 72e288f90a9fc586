import Logging
import NIOCore
import S3
import WIBLLedger

/// The `submit` Lambda handler: uploads each staged GeoJSON object to DCDB exactly once
/// (`cloud.md` §6, §8; issues #5 and #10).
///
/// Per record: read the staged object's tags (`WIBL-File` names its ledger record, `SourceID` the
/// vessel). Only a file whose ledger state is `processed`, staged at this very key, goes on; anything
/// else is a duplicate (already claimed, submitted, or a losing copy staged under another key) and is
/// not posted. GET and validate it (a document DCDB would refuse is recorded `invalid`). Then **claim**
/// it with a create-only ledger write that records the invocation's deadline: of any number of
/// concurrent invocations exactly one wins, and only the winner posts. The winner records DCDB's
/// answer: `submitted`, `refused` (4xx, `success: false`, redirect) or `unknown` (anything unclear
/// after the request was sent; never posted again automatically). When nothing reached DCDB the
/// claim is released and the invocation fails, so that Lambda retries it. A claimant that dies leaves
/// a claim that `wibl status` shows as `unknown` once its deadline has passed.
public struct SubmissionHandler: RecordHandler {
    /// Where the staged objects are.
    public var store: any ObjectStore
    /// The DCDB client.
    public var submitter: any Submitter
    /// The B-12 checks of `wibl validate`.
    public var validator: any DocumentValidator
    /// The ledger (in the staging bucket).
    public var ledger: Ledger
    /// No new record is started when less than this is left before the deadline; every HTTP call ends
    /// this long before it, so that the outcome can still be recorded.
    public var safetyMargin: Duration
    /// Now, microseconds since the epoch (for the claim's deadline).
    public var now: @Sendable () -> Int64

    /// Tag keys written by this handler (and `WIBL-File`, written by processing).
    public enum Tags {
        /// DCDB's answer, set once the object was accepted.
        public static let submitted = "WIBL-Submitted"
        /// `submitting`, `submitted`, `refused`, `invalid` or `failed`.
        public static let status = "WIBL-Status"
        /// A short error class, for a refusal or failure.
        public static let error = "WIBL-Error"
        /// The vessel id written by the processing handler; submitted as the unique id.
        public static let sourceID = "SourceID"
        /// The ledger id (SHA-256 of the logger file) of a staged object.
        public static let file = "WIBL-File"
    }

    /// Creates the handler.
    public init(
        store: any ObjectStore, submitter: any Submitter, validator: any DocumentValidator, ledger: Ledger,
        safetyMargin: Duration = .seconds(10), now: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.submitter = submitter
        self.validator = validator
        self.ledger = ledger
        self.safetyMargin = safetyMargin
        self.now = now
    }

    /// Handles one invocation; see ``ProcessingHandler/handle(event:remainingTime:logger:)``.
    public func handle(
        event: ByteBuffer, remainingTime: @escaping @Sendable () -> Duration, logger: Logger
    ) async throws -> HandlerSummary {
        try await handleRecords(
            event: event, remainingTime: remainingTime, safetyMargin: safetyMargin, logger: logger
        ) { object, log in
            await submit(object, remainingTime: remainingTime, logger: log)
        }
    }

    /// Submits one staged object (also used by the `reconcile` handler).
    func submit(
        _ object: ObjectReference, remainingTime: @escaping @Sendable () -> Duration, logger: Logger,
        actorName: String = "submit"
    ) async -> ItemResult {
        let actor = ledgerActor(actorName, logger: logger)
        let bounded = Bounded(remainingTime: remainingTime, margin: safetyMargin)
        let store = self.store
        let ledger = self.ledger
        let staged = LedgerObject(bucket: object.bucket, key: object.key)
        var file: String?
        var log = logger
        do {
            let tags = try await bounded.run("GET tagging \(object)") { try await store.tags(of: object) }
            guard let id = tags.first(where: { $0.key == Tags.file })?.value, Ledger.isFileID(id) else {
                log.error("the staged object has no WIBL-File tag: it was not staged by this pipeline")
                return ItemResult(
                    object: object, status: .failed, errorClass: "NotInLedger",
                    error: "the object has no WIBL-File tag naming its ledger record; not posted")
            }
            file = id
            log[metadataKey: "file"] = "\(id)"
            // A cheap first look: most duplicates stop here, before any download.
            let record = try await bounded.run("ledger read") { try await ledger.record(file: id) }
            guard record.state == .processed, record.lastProcessed?.staged == staged else {
                return duplicate(object, record: record, logger: log)
            }
            guard let sourceID = tags.first(where: { $0.key == Tags.sourceID })?.value, !sourceID.isEmpty else {
                let message = "the object has no SourceID tag, so its vessel id is unknown"
                _ = try await bounded.run("ledger write") {
                    try await ledger.apply(
                        .invalid(source: nil, errorClass: "MissingSourceID", message: message), file: id, actor: actor)
                }
                await retag(
                    object, tags, [ObjectTag(Tags.status, "invalid"), ObjectTag(Tags.error, "MissingSourceID")], log)
                return ItemResult(
                    object: object, status: .invalid, errorClass: "MissingSourceID", error: message, file: id)
            }
            let body = try await bounded.run("GET \(object)") { try await store.get(object) }
            let problems = validator.problems(in: body)
            guard problems.isEmpty else {
                let message =
                    "not submitted: the GeoJSON fails B-12 validation: " + problems.prefix(5).joined(separator: "; ")
                log.error("invalid GeoJSON", metadata: ["problems": "\(problems.count)", "first": "\(problems[0])"])
                _ = try await bounded.run("ledger write") {
                    try await ledger.apply(
                        .invalid(source: nil, errorClass: "InvalidGeoJSON", message: message), file: id, actor: actor)
                }
                await retag(
                    object, tags, [ObjectTag(Tags.status, "invalid"), ObjectTag(Tags.error, "InvalidGeoJSON")], log)
                return ItemResult(
                    object: object, status: .invalid, errorClass: "InvalidGeoJSON", error: message, file: id)
            }
            // The claim: one create-only write; exactly one concurrent invocation wins it.
            let deadline = now() + microseconds(remainingTime())
            let claim = try await bounded.run("ledger claim") {
                try await ledger.apply(.claim(staged: staged, deadline: deadline), file: id, actor: actor)
            }
            guard case .appended(let claimEntry, _) = claim else {
                return duplicate(object, record: claim.record, logger: log)
            }
            log.info("claimed", metadata: ["deadline": "\(isoTime(microseconds: deadline))"])
            let outcome = await submitter.submit(
                body, fileName: object.key, uniqueID: sourceID, timeLimit: remainingTime() - safetyMargin)
            return await recordOutcome(
                outcome, object: object, file: id, claim: claimEntry, tags: tags, actor: actor,
                remainingTime: remainingTime, logger: log)
        } catch {
            let kind = errorClass(of: error)
            // Unless the object is simply gone, an unrecorded failure fails the invocation (Lambda
            // retries, then the failure destination keeps the event): nothing is lost.
            let transient = isTransientFailure(error) || (error as? S3Error)?.code != "NoSuchKey"
            log.error(
                transient ? "transient failure: the invocation fails so that Lambda retries" : "submission failed",
                metadata: ["errorClass": "\(kind)", "error": "\(error)"])
            return ItemResult(
                object: object, status: transient ? .retry : .failed, errorClass: kind, error: "\(error)", file: file)
        }
    }

    /// Records DCDB's answer under the claim (with the time that is left, not the safety margin).
    private func recordOutcome(
        _ outcome: SubmissionOutcome, object: ObjectReference, file: String, claim: LedgerEntry, tags: [ObjectTag],
        actor: String, remainingTime: @escaping @Sendable () -> Duration, logger: Logger
    ) async -> ItemResult {
        let action: LedgerAction
        let result: ItemResult
        var tagUpdates: [ObjectTag]
        switch outcome {
        case .accepted(let receipt):
            logger.info("submitted", metadata: ["dcdb": "\(receipt.summary)"])
            action = .outcome(
                claimNonce: claim.nonce, event: .submitted, message: receipt.summary, httpStatus: nil, errorClass: nil)
            result = ItemResult(object: object, status: .submitted, file: file)
            tagUpdates = [
                ObjectTag(Tags.status, "submitted"),
                ObjectTag(Tags.submitted, tagSafe(receipt.summary.isEmpty ? "true" : receipt.summary)),
            ]
        case .refused(let kind, let answer, let status):
            logger.error("DCDB refused the submission", metadata: ["errorClass": "\(kind)", "error": "\(answer)"])
            action = .outcome(
                claimNonce: claim.nonce, event: .refused, message: answer, httpStatus: status, errorClass: kind)
            result = ItemResult(object: object, status: .refused, errorClass: kind, error: answer, file: file)
            tagUpdates = [ObjectTag(Tags.status, "refused"), ObjectTag(Tags.error, tagSafe(kind))]
        case .unknown(let kind, let reason, let status):
            logger.critical(
                "DCDB's answer is unknown: it may have the file; not posted again", metadata: ["error": "\(reason)"])
            action = .outcome(
                claimNonce: claim.nonce, event: .unknown, message: reason, httpStatus: status, errorClass: kind)
            result = ItemResult(object: object, status: .unknown, errorClass: kind, error: reason, file: file)
            tagUpdates = [ObjectTag(Tags.status, "unknown"), ObjectTag(Tags.error, tagSafe(kind))]
        case .notSent(let kind, let reason):
            logger.error("nothing reached DCDB: claim released, Lambda will retry", metadata: ["error": "\(reason)"])
            action = .release(claimNonce: claim.nonce, reason: reason)
            result = ItemResult(object: object, status: .retry, errorClass: kind, error: reason, file: file)
            tagUpdates = []
        }
        let ledger = self.ledger
        let bounded = Bounded(remainingTime: remainingTime, margin: .milliseconds(500))
        do {
            let written = try await bounded.run("ledger write") {
                try await ledger.apply(action, file: file, actor: actor)
            }
            if case .refused(let why, _) = written {
                logger.critical("the outcome could not be recorded", metadata: ["reason": "\(why)"])
            }
        } catch {
            // The claim stays; once its deadline passes, `wibl status` shows the file as unknown.
            logger.critical(
                "the outcome could not be recorded: the claim will show as unknown", metadata: ["error": "\(error)"])
        }
        if !tagUpdates.isEmpty { await retag(object, tags, tagUpdates, logger) }
        return result
    }

    private func duplicate(_ object: ObjectReference, record: LedgerRecord, logger: Logger) -> ItemResult {
        let state = record.effectiveState(now: now())
        let reason: String
        if let staged = record.lastProcessed?.staged, staged != LedgerObject(bucket: object.bucket, key: object.key) {
            reason = "the same logger file is staged as \(staged); this copy is not posted"
        } else {
            reason =
                state.map { "already \($0.rawValue) in the ledger; not posted" }
                ?? "the ledger has no processed record for this file yet; not posted"
        }
        logger.notice(
            "duplicate: not posting", metadata: ["state": "\(state?.rawValue ?? "none")", "why": "\(reason)"])
        return ItemResult(object: object, status: .duplicate, error: reason, file: record.file)
    }

    /// Best effort: the tags are informational (the ledger is the record).
    private func retag(_ object: ObjectReference, _ tags: [ObjectTag], _ updates: [ObjectTag], _ logger: Logger) async {
        do {
            try await store.setTags(merging(tags, with: updates), on: object)
        } catch {
            logger.warning("could not tag the object", metadata: ["error": "\(error)"])
        }
    }
}

/// A duration in whole microseconds.
func microseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
}
