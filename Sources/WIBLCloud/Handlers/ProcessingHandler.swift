import JSONValue
import Logging
import NIOCore
import S3
import WIBLLedger

/// The `process` Lambda handler: converts each `.wibl` object an event names and writes the GeoJSON
/// to the staging bucket (`cloud.md` §4; issues #5 and #10).
///
/// Per record: refuse an object larger than ``maximumObjectBytes`` from the event's size (or a HEAD)
/// before downloading it; GET it; look its SHA-256 up in the ledger. A file already in the ledger
/// (processed, claimed, submitted — or permanently failed) is a duplicate: it is not converted or
/// staged again (a new key for the same bytes is noted in its history). Otherwise convert it exactly as
/// `wibl convert` does, PUT `NAME.geojson` with the tags `SourceID`, `Logger`, `Soundings` and
/// `WIBL-File` (the ledger id), and record `processed`. A file that can never be converted (not WIBL,
/// unknown algorithm, too large) is recorded as `invalid`/`failed` and does **not** fail the invocation;
/// only transient failures (S3 5xx or throttling, time-outs) do, so that Lambda retries. The source
/// object is tagged `WIBL-Status` (best effort) and never moved or deleted.
public struct ProcessingHandler: RecordHandler {
    /// Where objects are read and written.
    public var store: any ObjectStore
    /// The converter (the same code as `wibl convert`).
    public var converter: any FileConverter
    /// The staging bucket (`STAGING_BUCKET` / `DEST_BUCKET`).
    public var stagingBucket: String
    /// The ledger (in the staging bucket).
    public var ledger: Ledger
    /// No new record is started when less than this is left before the deadline; every S3 call must
    /// end this long before it.
    public var safetyMargin: Duration
    /// Larger objects are refused without download (`MAX_OBJECT_BYTES`, default 64 MiB).
    public var maximumObjectBytes: Int64

    /// The default size limit: 64 MiB (logger files roll over at 10 MiB).
    public static let defaultMaximumObjectBytes: Int64 = 64 << 20

    /// Creates the handler.
    public init(
        store: any ObjectStore, converter: any FileConverter, stagingBucket: String, ledger: Ledger,
        safetyMargin: Duration = .seconds(10), maximumObjectBytes: Int64 = ProcessingHandler.defaultMaximumObjectBytes
    ) {
        self.store = store
        self.converter = converter
        self.stagingBucket = stagingBucket
        self.ledger = ledger
        self.safetyMargin = safetyMargin
        self.maximumObjectBytes = maximumObjectBytes
    }

    /// Handles one invocation.
    ///
    /// - Parameters:
    ///   - event: The invocation payload (S3 notification, S3-in-SNS or WIBL SNS message).
    ///   - remainingTime: Time left before the invocation's deadline.
    ///   - logger: The invocation's logger (carries the request id).
    /// - Returns: The summary of every record.
    /// - Throws: ``EventError`` for an unusable event; ``InvocationFailure`` when a record failed
    ///   transiently or was deferred.
    public func handle(
        event: ByteBuffer, remainingTime: @escaping @Sendable () -> Duration, logger: Logger
    ) async throws -> HandlerSummary {
        try await handleRecords(
            event: event, remainingTime: remainingTime, safetyMargin: safetyMargin, logger: logger
        ) { object, log in
            await process(object, remainingTime: remainingTime, logger: log)
        }
    }

    /// Converts one object (also used by the `reconcile` handler).
    func process(
        _ object: ObjectReference, remainingTime: @escaping @Sendable () -> Duration, logger: Logger,
        actorName: String = "process"
    ) async -> ItemResult {
        let actor = ledgerActor(actorName, logger: logger)
        let store = self.store
        let ledger = self.ledger
        let bounded = Bounded(remainingTime: remainingTime, margin: safetyMargin)
        let source = LedgerObject(bucket: object.bucket, key: object.key)
        var file: String?
        do {
            // 1. Size, before any download.
            var size = object.size
            if size == nil || size ?? 0 <= 0 {
                size = try await bounded.run("HEAD \(object)") { try await store.size(of: object) }
            }
            guard let size else {
                logger.warning("the object no longer exists")
                return ItemResult(
                    object: object, status: .failed, errorClass: "NoSuchKey", error: "\(object) does not exist")
            }
            if size > maximumObjectBytes {
                return await refuseOversize(object, size: size, actor: actor, logger: logger, bounded: bounded)
            }
            // 2. The bytes and their ledger id.
            let bytes = try await bounded.run("GET \(object)") { try await store.get(object) }
            if bytes.readableBytes > maximumObjectBytes {
                return await refuseOversize(
                    object, size: Int64(bytes.readableBytes), actor: actor, logger: logger, bounded: bounded)
            }
            let id = ledgerFileID(of: bytes)
            file = id
            var log = logger
            log[metadataKey: "file"] = "\(id)"
            // 3. Already known?
            let record = try await bounded.run("ledger read") { try await ledger.record(file: id) }
            if let state = record.state, state != .pending {
                return await duplicate(object, file: id, state: state, actor: actor, logger: log, bounded: bounded)
            }
            // 4. Convert.
            let converted: ConversionOutput
            do {
                converted = try converter.convert(bytes, fileName: object.key)
            } catch {
                return await recordPermanent(
                    object, file: id, error: error, actor: actor, logger: log, bounded: bounded)
            }
            // 5. Stage, then record.
            let output = ObjectReference(bucket: stagingBucket, key: Self.outputKey(for: object.key))
            let tags = [
                ObjectTag("SourceID", tagSafe(converted.vesselID)),
                ObjectTag("Logger", tagSafe(converted.loggerID)),
                ObjectTag("Soundings", String(converted.soundings)),
                ObjectTag(SubmissionHandler.Tags.file, id),
            ]
            let miles = (try? JSONValue.parse(converted.geojson.readableBytesView)).flatMap {
                trackNauticalMiles(geojson: $0)
            }
            try await bounded.run("PUT \(output)") {
                try await store.put(converted.geojson, to: output, contentType: "application/geo+json", tags: tags)
            }
            let action = LedgerAction.processed(
                source: source, staged: LedgerObject(bucket: output.bucket, key: output.key),
                soundings: converted.soundings, vesselID: converted.vesselID, nauticalMiles: miles)
            let result = try await bounded.run("ledger write") {
                try await ledger.apply(action, file: id, actor: actor)
            }
            guard case .appended = result else {
                // Another invocation recorded the same bytes first: ours is a duplicate (its staged
                // copy is never posted: the claim names the winner's staged key).
                let state = result.record.state ?? .processed
                return await duplicate(object, file: id, state: state, actor: actor, logger: log, bounded: bounded)
            }
            log.info("converted", metadata: ["output": "\(output)", "soundings": "\(converted.soundings)"])
            await tagSource(object, [ObjectTag("WIBL-Status", "processed")], logger: log)
            var item = ItemResult(
                object: object, status: .processed, output: output, soundings: converted.soundings, file: id)
            item.leftOut = converted.leftOut
            return item
        } catch S3Error.bodyTooLarge {
            // The event's size was wrong and the object is larger than the limit.
            return await refuseOversize(
                object, size: maximumObjectBytes + 1, actor: actor, logger: logger, bounded: bounded)
        } catch {
            return transientOrPermanent(object, file: file, error: error, logger: logger)
        }
    }

    private func refuseOversize(
        _ object: ObjectReference, size: Int64, actor: String, logger: Logger,
        bounded: Bounded
    ) async -> ItemResult {
        // No bytes, so no content hash: the record is keyed by the object's name and size instead.
        let id = ledgerFileID(of: ByteBuffer(string: "oversize\u{0}\(object.bucket)\u{0}\(object.key)\u{0}\(size)"))
        let message = "the object has \(size) bytes, more than the limit of \(maximumObjectBytes) (MAX_OBJECT_BYTES)"
        logger.error("object too large: refused without download", metadata: ["bytes": "\(size)"])
        let ledger = self.ledger
        let source = LedgerObject(bucket: object.bucket, key: object.key)
        do {
            _ = try await bounded.run("ledger write") {
                try await ledger.apply(
                    .invalid(source: source, errorClass: "TooLarge", message: message), file: id, actor: actor)
            }
        } catch {
            return transientOrPermanent(object, file: id, error: error, logger: logger)
        }
        await tagSource(
            object, [ObjectTag("WIBL-Status", "invalid"), ObjectTag("WIBL-Error", "TooLarge")], logger: logger)
        return ItemResult(object: object, status: .invalid, errorClass: "TooLarge", error: message, file: id)
    }

    private func duplicate(
        _ object: ObjectReference, file: String, state: LedgerState, actor: String, logger: Logger,
        bounded: Bounded
    ) async -> ItemResult {
        let ledger = self.ledger
        let source = LedgerObject(bucket: object.bucket, key: object.key)
        do {
            // A new key for known bytes is kept in the history; a repeated event changes nothing.
            _ = try await bounded.run("ledger write") {
                try await ledger.apply(.seen(source: source), file: file, actor: actor)
            }
        } catch {
            return transientOrPermanent(object, file: file, error: error, logger: logger)
        }
        logger.notice("duplicate: already in the ledger, not converted again", metadata: ["state": "\(state.rawValue)"])
        return ItemResult(
            object: object, status: .duplicate, error: "already \(state.rawValue) (ledger \(file))", file: file)
    }

    private func recordPermanent(
        _ object: ObjectReference, file: String, error: any Error, actor: String, logger: Logger,
        bounded: Bounded
    ) async -> ItemResult {
        let kind = errorClass(of: error)
        let message = "\(error)"
        // Not a WIBL file at all: invalid input. A WIBL file that cannot be processed: failed.
        let invalid = kind == "NotWIBL" || kind.hasPrefix("Truncated") || kind == "BadFile"
        let source = LedgerObject(bucket: object.bucket, key: object.key)
        let action: LedgerAction =
            invalid
            ? .invalid(source: source, errorClass: kind, message: message)
            : .failed(source: source, errorClass: kind, message: message)
        logger.error("conversion failed", metadata: ["errorClass": "\(kind)", "error": "\(error)"])
        let ledger = self.ledger
        do {
            _ = try await bounded.run("ledger write") { try await ledger.apply(action, file: file, actor: actor) }
        } catch {
            return transientOrPermanent(object, file: file, error: error, logger: logger)
        }
        await tagSource(
            object, [ObjectTag("WIBL-Status", invalid ? "invalid" : "failed"), ObjectTag("WIBL-Error", tagSafe(kind))],
            logger: logger)
        return ItemResult(
            object: object, status: invalid ? .invalid : .failed, errorClass: kind, error: message, file: file)
    }

    private func transientOrPermanent(_ object: ObjectReference, file: String?, error: any Error, logger: Logger)
        -> ItemResult
    {
        let kind = errorClass(of: error)
        if isTransientFailure(error) {
            logger.error(
                "transient failure: the invocation fails so that Lambda retries", metadata: ["error": "\(error)"])
            return ItemResult(object: object, status: .retry, errorClass: kind, error: "\(error)", file: file)
        }
        // Not recorded in the ledger: fail the invocation (Lambda retries, then the failure destination
        // keeps the event), unless the object is simply gone.
        let gone = (error as? S3Error)?.code == "NoSuchKey"
        logger.error("processing failed", metadata: ["errorClass": "\(kind)", "error": "\(error)"])
        return ItemResult(
            object: object, status: gone ? .failed : .retry, errorClass: kind, error: "\(error)", file: file)
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
    event: ByteBuffer, remainingTime: @escaping @Sendable () -> Duration, safetyMargin: Duration, logger: Logger,
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

/// Throws when the invocation must be reported as failed (shared by the handlers): a transient
/// failure or a deferral (Lambda retries; the ledger makes the retry harmless), or an event whose
/// records were all malformed (nothing could be recorded, so it goes to the failure destination).
func finish(_ summary: HandlerSummary) throws(InvocationFailure) {
    if summary.deferred > 0 { throw InvocationFailure(reason: .recordsDeferred, summary: summary) }
    if summary.retryable > 0 { throw InvocationFailure(reason: .transientFailure, summary: summary) }
    if !summary.items.isEmpty, summary.items.allSatisfy({ $0.object == nil }) {
        throw InvocationFailure(reason: .allRecordsFailed, summary: summary)
    }
}

/// Runs S3 and ledger calls within the invocation's remaining time minus the safety margin.
struct Bounded: Sendable {
    /// Time left before the invocation's deadline.
    var remainingTime: @Sendable () -> Duration
    /// Kept free at the end of the invocation.
    var margin: Duration

    /// Runs `operation`, cancelled when the time is up (``DeadlineExceeded``).
    func run<T: Sendable>(_ name: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withDeadline(remainingTime() - margin, operation: name, operation)
    }
}
