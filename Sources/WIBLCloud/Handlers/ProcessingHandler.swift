import Logging
import NIOCore

/// The `process` Lambda handler: converts each `.wibl` object an event names and writes the GeoJSON
/// to the staging bucket (`cloud.md` §4; issue #5).
///
/// Per record: GET the object, convert it exactly as `wibl convert` does, PUT `NAME.geojson` with the
/// tags `SourceID` (vessel id as written), `Logger` (logger id) and `Soundings`, then tag the source
/// object `WIBL-Status=processed`. A failed record tags the source `WIBL-Status=failed` and
/// `WIBL-Error=<class>`, writes nothing to staging, and does not stop the other records. The source
/// object is never moved or deleted.
public struct ProcessingHandler: RecordHandler {
    /// Where objects are read and written.
    public var store: any ObjectStore
    /// The converter (the same code as `wibl convert`).
    public var converter: any FileConverter
    /// The staging bucket (`STAGING_BUCKET` / `DEST_BUCKET`).
    public var stagingBucket: String
    /// No new record is started when less than this is left before the deadline.
    public var safetyMargin: Duration

    /// Creates the handler.
    public init(
        store: any ObjectStore, converter: any FileConverter, stagingBucket: String,
        safetyMargin: Duration = .seconds(10)
    ) {
        self.store = store
        self.converter = converter
        self.stagingBucket = stagingBucket
        self.safetyMargin = safetyMargin
    }

    /// Handles one invocation.
    ///
    /// - Parameters:
    ///   - event: The invocation payload (S3 notification, S3-in-SNS or WIBL SNS message).
    ///   - remainingTime: Time left before the invocation's deadline.
    ///   - logger: The invocation's logger (carries the request id).
    /// - Returns: The summary of every record.
    /// - Throws: ``EventError`` for an unusable event; ``InvocationFailure`` when every record failed
    ///   or some were deferred.
    public func handle(
        event: ByteBuffer, remainingTime: @Sendable () -> Duration, logger: Logger
    ) async throws -> HandlerSummary {
        try await handleRecords(
            event: event, remainingTime: remainingTime, safetyMargin: safetyMargin, logger: logger
        ) { object, log in
            await process(object, logger: log)
        }
    }

    private func process(_ object: ObjectReference, logger: Logger) async -> ItemResult {
        let output = ObjectReference(bucket: stagingBucket, key: Self.outputKey(for: object.key))
        do {
            let bytes = try await store.get(object)
            let converted = try converter.convert(bytes, fileName: object.key)
            let tags = [
                ObjectTag("SourceID", tagSafe(converted.vesselID)),
                ObjectTag("Logger", tagSafe(converted.loggerID)),
                ObjectTag("Soundings", String(converted.soundings)),
            ]
            try await store.put(converted.geojson, to: output, contentType: "application/geo+json", tags: tags)
            logger.info(
                "converted", metadata: ["output": "\(output)", "soundings": "\(converted.soundings)"])
            await tagSource(object, [ObjectTag("WIBL-Status", "processed")], logger: logger)
            var result = ItemResult(object: object, status: .processed, output: output, soundings: converted.soundings)
            result.leftOut = converted.leftOut
            return result
        } catch {
            let kind = errorClass(of: error)
            logger.error("conversion failed", metadata: ["errorClass": "\(kind)", "error": "\(error)"])
            await tagSource(
                object, [ObjectTag("WIBL-Status", "failed"), ObjectTag("WIBL-Error", tagSafe(kind))], logger: logger)
            return ItemResult(object: object, status: .failed, errorClass: kind, error: "\(error)")
        }
    }

    /// Best effort: a failure to tag is logged, never turned into a failure of the record.
    private func tagSource(_ object: ObjectReference, _ updates: [ObjectTag], logger: Logger) async {
        do {
            let existing = try await store.tags(of: object)
            try await store.setTags(merging(existing, with: updates), on: object)
        } catch {
            logger.warning("could not tag the source object", metadata: ["error": "\(error)"])
        }
    }

    /// `NAME.wibl` → `NAME.geojson` (any case of `.wibl`); other names get `.geojson` appended.
    public static func outputKey(for key: String) -> String {
        if key.lowercased().hasSuffix(".wibl") { return String(key.dropLast(5)) + ".geojson" }
        return key + ".geojson"
    }
}

/// The record loop shared by both handlers: parses the event, reports malformed records, skips
/// the S3 test event, defers records when the deadline is near, runs `each` on the others with a
/// logger carrying `bucket` and `key`, and throws ``InvocationFailure`` when the invocation must fail.
func handleRecords(
    event: ByteBuffer, remainingTime: @Sendable () -> Duration, safetyMargin: Duration, logger: Logger,
    each: (ObjectReference, Logger) async -> ItemResult
) async throws -> HandlerSummary {
    let parsed = try EventParser.parse(event.readableBytesView)
    if parsed.isTestEvent { logger.info("ignoring the S3 test event") }
    var summary = HandlerSummary()
    for problem in parsed.problems {
        logger.error("malformed event record", metadata: ["error": "\(problem)"])
        summary.items.append(
            ItemResult(object: nil, status: .failed, errorClass: "MalformedEvent", error: "\(problem)"))
    }
    for object in parsed.objects {
        var log = logger
        log[metadataKey: "bucket"] = "\(object.bucket)"
        log[metadataKey: "key"] = "\(object.key)"
        guard remainingTime() > safetyMargin else {
            log.warning("deadline near: record deferred")
            summary.items.append(ItemResult(object: object, status: .deferred))
            continue
        }
        summary.items.append(await each(object, log))
    }
    try finish(summary)
    return summary
}

/// Throws when the invocation must be reported as failed (shared by both handlers).
func finish(_ summary: HandlerSummary) throws(InvocationFailure) {
    if summary.deferred > 0 { throw InvocationFailure(reason: .recordsDeferred, summary: summary) }
    if !summary.items.isEmpty, summary.failed == summary.items.count {
        throw InvocationFailure(reason: .allRecordsFailed, summary: summary)
    }
}
