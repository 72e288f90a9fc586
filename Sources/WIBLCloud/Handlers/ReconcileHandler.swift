import Logging
import NIOCore
import WIBLLedger

/// The `reconcile` Lambda handler (`_HANDLER=reconcile`, run on a schedule; issue #10): finds what
/// events missed and puts it right, so that no file is lost.
///
/// 1. Every `.wibl` object in the incoming bucket that no ledger record names as a source (its event
///    never came, or its invocation was killed) is processed, as the `process` handler would.
/// 2. Files an operator marked for reprocessing (`pending`) are processed again from their source.
/// 3. Files `processed` with no claim are submitted, as the `submit` handler would (when the submit
///    settings are present) — the claim makes this safe against a concurrent `submit`.
/// 4. Claims past their deadline with no outcome are logged and recorded as `unknown` (never posted again).
///
/// The event (an EventBridge scheduled event) is not read.
public struct ReconcileHandler: RecordHandler {
    /// The processing step (its store, ledger and limits).
    public var processing: ProcessingHandler
    /// The submission step; `nil` when the submit settings are absent (then nothing is submitted).
    public var submission: SubmissionHandler?
    /// The incoming bucket (`INCOMING_BUCKET`).
    public var incomingBucket: String
    /// Now, microseconds since the epoch.
    public var now: @Sendable () -> Int64

    /// Creates the handler.
    public init(
        processing: ProcessingHandler, submission: SubmissionHandler?, incomingBucket: String,
        now: @escaping @Sendable () -> Int64
    ) {
        self.processing = processing
        self.submission = submission
        self.incomingBucket = incomingBucket
        self.now = now
    }

    /// One reconciliation pass.
    ///
    /// - Throws: ``InvocationFailure`` when an item failed transiently or time ran out.
    public func handle(
        event: ByteBuffer, remainingTime: @escaping @Sendable () -> Duration, logger: Logger
    ) async throws -> HandlerSummary {
        let ledger = processing.ledger
        let store = processing.store
        let bounded = Bounded(remainingTime: remainingTime, margin: processing.safetyMargin)
        let records = try await bounded.run("ledger list") { try await ledger.records() }
        let incoming = incomingBucket
        let objects = try await bounded.run("list \(incoming)") { try await store.list(bucket: incoming, prefix: "") }
        var known = Set<LedgerObject>()
        for record in records { known.formUnion(record.sources) }

        var summary = HandlerSummary()
        func run(_ object: ObjectReference, _ step: (Logger) async -> ItemResult) async {
            var log = logger
            log[metadataKey: "bucket"] = "\(object.bucket)"
            log[metadataKey: "key"] = "\(object.key)"
            guard remainingTime() > processing.safetyMargin else {
                summary.items.append(ItemResult(object: object, status: .deferred))
                return
            }
            summary.items.append(await step(log))
        }
        // 1. Incoming objects with no ledger entry.
        for object in objects where object.key.lowercased().hasSuffix(".wibl") {
            guard !known.contains(LedgerObject(bucket: object.bucket, key: object.key)) else { continue }
            logger.notice("an incoming file has no ledger entry: processing it", metadata: ["key": "\(object.key)"])
            await run(object) { log in
                await processing.process(object, remainingTime: remainingTime, logger: log, actorName: "reconcile")
            }
        }
        // 2. Pending (reprocess requested).
        for record in records where record.state == .pending {
            guard let source = record.sources.last else { continue }
            let object = ObjectReference(bucket: source.bucket, key: source.key)
            await run(object) { log in
                await processing.process(object, remainingTime: remainingTime, logger: log, actorName: "reconcile")
            }
        }
        // 3. Processed, never claimed (or released, or resubmission requested).
        for record in records where record.state == .processed {
            guard let staged = record.lastProcessed?.staged else { continue }
            let object = ObjectReference(bucket: staged.bucket, key: staged.key)
            guard let submission else {
                logger.warning(
                    "a processed file waits for submission, but the submit settings are absent",
                    metadata: ["file": "\(record.file)"])
                continue
            }
            await run(object) { log in
                await submission.submit(object, remainingTime: remainingTime, logger: log, actorName: "reconcile")
            }
        }
        // 4. Stale claims.
        let actor = ledgerActor("reconcile", logger: logger)
        for record in records where record.isStale(now: now()) {
            logger.critical(
                "a claim passed its deadline with no outcome: DCDB may have the file (unknown)",
                metadata: ["file": "\(record.file)", "claimedBy": "\(record.activeClaim?.actor ?? "?")"])
            do {
                _ = try await bounded.run("ledger write") {
                    try await ledger.apply(.expire, file: record.file, actor: actor)
                }
            } catch {
                logger.error("could not record the stale claim", metadata: ["error": "\(error)"])
            }
            let staged = record.activeClaim?.staged
            summary.items.append(
                ItemResult(
                    object: staged.map { ObjectReference(bucket: $0.bucket, key: $0.key) }, status: .unknown,
                    errorClass: "StaleClaim", error: "claim expired with no outcome", file: record.file))
        }
        logger.info(
            "reconciled",
            metadata: [
                "records": "\(records.count)", "incoming": "\(objects.count)", "items": "\(summary.items.count)",
            ])
        try finish(summary)
        return summary
    }
}
