import Logging
import NIOCore

/// The `submit` Lambda handler: uploads each staged GeoJSON object to DCDB exactly once
/// (`cloud.md` §6, §7; issue #5).
///
/// Per record: read the object's tags; an object already tagged `WIBL-Submitted` (or marked
/// `WIBL-Status=submitting` by a delivery that is still running or crashed mid-post) is not posted
/// again — S3 delivers events at least once. Otherwise GET it, validate it (a document DCDB would
/// reject, e.g. a vessel id that is not `PROVIDER-<uuid>`, is tagged `WIBL-Status=invalid` and not
/// posted), mark it `submitting`, POST once, then tag it `WIBL-Submitted=<DCDB answer>` and
/// `WIBL-Status=submitted`. A refusal is tagged `WIBL-Status=refused` with `WIBL-Error`.
public struct SubmissionHandler: RecordHandler {
    /// Where the staged objects are.
    public var store: any ObjectStore
    /// The DCDB client.
    public var submitter: any Submitter
    /// The B-12 checks of `wibl validate`.
    public var validator: any DocumentValidator
    /// No new record is started when less than this is left before the deadline.
    public var safetyMargin: Duration

    /// Tag keys written by this handler.
    public enum Tags {
        /// DCDB's answer, set once the object was accepted.
        public static let submitted = "WIBL-Submitted"
        /// `submitting`, `submitted`, `refused`, `invalid` or `failed`.
        public static let status = "WIBL-Status"
        /// A short error class, for a refusal or failure.
        public static let error = "WIBL-Error"
        /// The vessel id written by the processing handler; submitted as the unique id.
        public static let sourceID = "SourceID"
    }

    /// Creates the handler.
    public init(
        store: any ObjectStore, submitter: any Submitter, validator: any DocumentValidator,
        safetyMargin: Duration = .seconds(10)
    ) {
        self.store = store
        self.submitter = submitter
        self.validator = validator
        self.safetyMargin = safetyMargin
    }

    /// Handles one invocation; see ``ProcessingHandler/handle(event:remainingTime:logger:)``.
    public func handle(
        event: ByteBuffer, remainingTime: @Sendable () -> Duration, logger: Logger
    ) async throws -> HandlerSummary {
        try await handleRecords(
            event: event, remainingTime: remainingTime, safetyMargin: safetyMargin, logger: logger
        ) { object, log in
            await submit(object, logger: log)
        }
    }

    private func submit(_ object: ObjectReference, logger: Logger) async -> ItemResult {
        var tags: [ObjectTag]
        do {
            tags = try await store.tags(of: object)
        } catch {
            return failure(object, error, logger: logger)
        }
        if tags.contains(where: { $0.key == Tags.submitted })
            || tags.contains(where: { $0.key == Tags.status && $0.value == "submitting" })
        {
            logger.info("already submitted (or being submitted): not posting again")
            return ItemResult(object: object, status: .alreadySubmitted)
        }
        guard let sourceID = tags.first(where: { $0.key == Tags.sourceID })?.value, !sourceID.isEmpty else {
            await retag(
                object, &tags, [ObjectTag(Tags.status, "failed"), ObjectTag(Tags.error, "MissingSourceID")], logger)
            return ItemResult(
                object: object, status: .failed, errorClass: "MissingSourceID",
                error: "the object has no SourceID tag, so its vessel id is unknown")
        }
        let body: ByteBuffer
        do {
            body = try await store.get(object)
        } catch {
            return failure(object, error, logger: logger)
        }
        let problems = validator.problems(in: body)
        guard problems.isEmpty else {
            let message =
                "not submitted: the GeoJSON fails B-12 validation: " + problems.prefix(5).joined(separator: "; ")
            logger.error("invalid GeoJSON", metadata: ["problems": "\(problems.count)", "first": "\(problems[0])"])
            await retag(
                object, &tags, [ObjectTag(Tags.status, "invalid"), ObjectTag(Tags.error, "InvalidGeoJSON")], logger)
            return ItemResult(object: object, status: .failed, errorClass: "InvalidGeoJSON", error: message)
        }
        // Mark before posting: a concurrent or repeated delivery seeing this does not post again.
        do {
            tags = merging(tags, with: [ObjectTag(Tags.status, "submitting")])
            try await store.setTags(tags, on: object)
        } catch {
            return failure(object, error, logger: logger)
        }
        let receipt: SubmissionReceipt
        do {
            receipt = try await submitter.submit(body, fileName: object.key, uniqueID: sourceID)
        } catch {
            let kind = errorClass(of: error)
            logger.error("DCDB refused the submission", metadata: ["errorClass": "\(kind)", "error": "\(error)"])
            await retag(
                object, &tags, [ObjectTag(Tags.status, "refused"), ObjectTag(Tags.error, tagSafe(kind))], logger)
            return ItemResult(object: object, status: .failed, errorClass: kind, error: "\(error)")
        }
        logger.info("submitted", metadata: ["dcdb": "\(receipt.summary)"])
        await retag(
            object, &tags,
            [
                ObjectTag(Tags.status, "submitted"),
                ObjectTag(Tags.submitted, tagSafe(receipt.summary.isEmpty ? "true" : receipt.summary)),
            ],
            logger)
        return ItemResult(object: object, status: .submitted)
    }

    private func failure(_ object: ObjectReference, _ error: any Error, logger: Logger) -> ItemResult {
        let kind = errorClass(of: error)
        logger.error("submission failed", metadata: ["errorClass": "\(kind)", "error": "\(error)"])
        return ItemResult(object: object, status: .failed, errorClass: kind, error: "\(error)")
    }

    /// Best effort: a failure to tag is logged loudly (after a successful post it means a repeated
    /// event could post again) but does not change the record's outcome.
    private func retag(
        _ object: ObjectReference, _ tags: inout [ObjectTag], _ updates: [ObjectTag], _ logger: Logger
    ) async {
        tags = merging(tags, with: updates)
        do {
            try await store.setTags(tags, on: object)
        } catch {
            logger.error("could not tag the object", metadata: ["error": "\(error)"])
        }
    }
}
