import Logging
import NIOCore
import S3
import Testing
import WIBLCloud
import WIBLLedger

/// An in-memory object store: the decision logic of the handlers, tested without sockets.
actor MemoryStore: ObjectStore {
    struct Missing: Error {}
    var objects: [ObjectReference: ByteBuffer] = [:]
    var tagSets: [ObjectReference: [ObjectTag]] = [:]
    var failTagWrites = false
    var gets = 0
    var puts = 0
    /// Fail this many GETs with a 503 (a transient S3 failure).
    var unavailableGets = 0

    func setUnavailableGets(_ count: Int) { unavailableGets = count }

    func seed(_ object: ObjectReference, _ text: String, tags: [ObjectTag] = []) {
        objects[Self.normal(object)] = ByteBuffer(string: text)
        tagSets[Self.normal(object)] = tags
    }

    static func normal(_ o: ObjectReference) -> ObjectReference { ObjectReference(bucket: o.bucket, key: o.key) }

    func get(_ object: ObjectReference) async throws -> ByteBuffer {
        gets += 1
        if unavailableGets > 0 {
            unavailableGets -= 1
            throw S3Error.service(
                context: S3RequestContext(operation: .getObject, bucket: object.bucket, key: object.key), status: 503,
                code: "SlowDown", message: "scripted", requestID: nil)
        }
        guard let body = objects[Self.normal(object)] else { throw Missing() }
        return body
    }

    func put(_ body: ByteBuffer, to object: ObjectReference, contentType: String, tags: [ObjectTag]) async throws {
        puts += 1
        objects[Self.normal(object)] = body
        tagSets[Self.normal(object)] = tags
    }

    func tags(of object: ObjectReference) async throws -> [ObjectTag] {
        guard objects[Self.normal(object)] != nil else { throw Missing() }
        return tagSets[Self.normal(object)] ?? []
    }

    func setTags(_ tags: [ObjectTag], on object: ObjectReference) async throws {
        if failTagWrites { throw Missing() }
        tagSets[Self.normal(object)] = tags
    }

    func size(of object: ObjectReference) async throws -> Int64? {
        objects[Self.normal(object)].map { Int64($0.readableBytes) }
    }

    func list(bucket: String, prefix: String) async throws -> [ObjectReference] {
        objects.keys.filter { $0.bucket == bucket && $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
    }

    func tag(_ key: String, of object: ObjectReference) -> String? {
        tagSets[Self.normal(object)]?.first { $0.key == key }?.value
    }
}

struct BadFile: Error, CustomStringConvertible {
    var description: String { "the file is not a WIBL file" }
}

/// Converts "good…" texts into a fake document; anything else fails.
struct FakeConverter: FileConverter {
    func convert(_ bytes: ByteBuffer, fileName: String) throws -> ConversionOutput {
        let text = String(buffer: bytes)
        guard text.hasPrefix("good") else { throw BadFile() }
        return ConversionOutput(
            geojson: ByteBuffer(string: "{\"converted\":\"\(text)\"}"), soundings: 42, loggerID: "Gulf Surveyor",
            vesselID: "UNHJHC-Gulf Surveyor")
    }
}

actor CountingSubmitter: Submitter {
    var posts: [String] = []
    /// What the next posts get (the last one repeats).
    var outcomes: [SubmissionOutcome] = []

    func setOutcomes(_ value: [SubmissionOutcome]) { outcomes = value }

    func submit(_ geojson: ByteBuffer, fileName: String, uniqueID: String, timeLimit: Duration) async
        -> SubmissionOutcome
    {
        posts.append(uniqueID)
        if outcomes.count > 1 { return outcomes.removeFirst() }
        return outcomes.first ?? .accepted(SubmissionReceipt(summary: "id-\(posts.count)"))
    }
}

struct FakeValidator: DocumentValidator {
    func problems(in geojson: ByteBuffer) -> [String] {
        String(buffer: geojson).contains("invalid") ? ["uniqueVesselID is not PROVIDER-uuid"] : []
    }
}

func s3Event(_ objects: [ObjectReference]) -> ByteBuffer {
    let records = objects.map { o in
        #"{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":""#
            + o.bucket + #""},"object":{"key":""# + o.key.replacingSpaces() + #"","size":"# + String(o.size ?? 1)
            + "}}}"
    }
    return ByteBuffer(string: #"{"Records":["# + records.joined(separator: ",") + "]}")
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "+" : $0 }) }
}

let plenty: @Sendable () -> Duration = { .seconds(60) }
let logger = Logger(label: "test")
let clock: @Sendable () -> Int64 = { 1_800_000_000_000_000 }

func memoryLedger() -> (Ledger, MemoryLedgerStorage) {
    let storage = MemoryLedgerStorage()
    return (Ledger(storage: storage, clock: clock), storage)
}

@Suite struct ProcessingHandlerTests {
    let incoming = ObjectReference(bucket: "in", key: "2024/log one.wibl")
    let bad = ObjectReference(bucket: "in", key: "bad.wibl")

    func make(_ store: MemoryStore, _ ledger: Ledger, maximum: Int64 = 1000) -> ProcessingHandler {
        ProcessingHandler(
            store: store, converter: FakeConverter(), stagingBucket: "staging", ledger: ledger,
            maximumObjectBytes: maximum)
    }

    @Test func convertsIntoStagingWithTagsAndRecordsItInTheLedger() async throws {
        let store = MemoryStore()
        let (ledger, _) = memoryLedger()
        await store.seed(incoming, "good data", tags: [ObjectTag("Owner", "ccom")])
        let summary = try await make(store, ledger).handle(
            event: s3Event([incoming]), remainingTime: plenty, logger: logger)
        #expect(summary.succeeded == 1 && summary.failed == 0)
        let output = ObjectReference(bucket: "staging", key: "2024/log one.geojson")
        #expect(await store.objects[output].map { String(buffer: $0) } == #"{"converted":"good data"}"#)
        let id = ledgerFileID(of: ByteBuffer(string: "good data"))
        #expect(
            await store.tagSets[output] == [
                ObjectTag("SourceID", "UNHJHC-Gulf Surveyor"), ObjectTag("Logger", "Gulf Surveyor"),
                ObjectTag("Soundings", "42"), ObjectTag("WIBL-File", id),
            ])
        #expect(await store.tagSets[incoming] == [ObjectTag("Owner", "ccom"), ObjectTag("WIBL-Status", "processed")])
        #expect(summary.json.serialized().contains(#""output":"s3://staging/2024/log one.geojson""#))
        let record = try await ledger.record(file: id)
        #expect(record.state == .processed)
        #expect(record.lastProcessed?.soundings == 42)
        #expect(record.lastProcessed?.staged == LedgerObject(bucket: "staging", key: "2024/log one.geojson"))
        #expect(record.sources == [LedgerObject(bucket: "in", key: "2024/log one.wibl")])
    }

    @Test func aBadFileIsRecordedAndDoesNotFailTheInvocation() async throws {
        let store = MemoryStore()
        let (ledger, _) = memoryLedger()
        await store.seed(incoming, "good")
        await store.seed(bad, "garbage")
        let summary = try await make(store, ledger).handle(
            event: s3Event([bad, incoming]), remainingTime: plenty, logger: logger)
        #expect(summary.items.map(\.status) == [.invalid, .processed])
        #expect(await store.objects[ObjectReference(bucket: "staging", key: "bad.geojson")] == nil)
        #expect(await store.tag("WIBL-Status", of: bad) == "invalid")
        #expect(await store.tag("WIBL-Error", of: bad) == "BadFile")
        #expect(await store.objects[bad] != nil, "the source stays where it is")
        #expect(summary.items[0].error == "the file is not a WIBL file")
        let record = try await ledger.record(file: ledgerFileID(of: ByteBuffer(string: "garbage")))
        #expect(record.state == .invalid)
        #expect(record.entries.first?.errorClass == "BadFile")
        // Only bad files: still no invocation error (a retry cannot help; the ledger has it).
        let alone = try await make(store, ledger).handle(event: s3Event([bad]), remainingTime: plenty, logger: logger)
        #expect(alone.items.map(\.status) == [.duplicate])
    }

    @Test func aRepeatedEventAndTheSameBytesUnderAnotherKeyAreDuplicates() async throws {
        let store = MemoryStore()
        let (ledger, _) = memoryLedger()
        let copy = ObjectReference(bucket: "in", key: "copy.wibl")
        await store.seed(incoming, "good data")
        await store.seed(copy, "good data")
        let handler = make(store, ledger)
        _ = try await handler.handle(event: s3Event([incoming]), remainingTime: plenty, logger: logger)
        let again = try await handler.handle(event: s3Event([incoming, copy]), remainingTime: plenty, logger: logger)
        #expect(again.items.map(\.status) == [.duplicate, .duplicate])
        #expect(again.duplicates == 2)
        #expect(await store.puts == 1, "staged once")
        #expect(await store.objects[ObjectReference(bucket: "staging", key: "copy.geojson")] == nil)
        let record = try await ledger.record(file: ledgerFileID(of: ByteBuffer(string: "good data")))
        #expect(record.entries.map(\.event) == [.processed, .seen])
        #expect(record.sources.map(\.key) == ["2024/log one.wibl", "copy.wibl"])
    }

    @Test func anOversizeObjectIsRefusedWithoutDownload() async throws {
        let store = MemoryStore()
        let (ledger, storage) = memoryLedger()
        let big = ObjectReference(bucket: "in", key: "big.wibl", size: 5000)
        await store.seed(big, "good but large")
        let summary = try await make(store, ledger).handle(event: s3Event([big]), remainingTime: plenty, logger: logger)
        #expect(summary.items.map(\.status) == [.invalid])
        #expect(summary.items.first?.errorClass == "TooLarge")
        #expect(await store.gets == 0, "never downloaded")
        let records = try await ledger.records()
        #expect(records.count == 1)
        #expect(records.first?.state == .invalid)
        #expect(await storage.objects.count == 1)
    }

    @Test func aTransientS3FailureFailsTheInvocationForARetry() async throws {
        let store = MemoryStore()
        let (ledger, _) = memoryLedger()
        await store.seed(incoming, "good")
        await store.setUnavailableGets(1)
        let handler = make(store, ledger)
        do {
            _ = try await handler.handle(event: s3Event([incoming]), remainingTime: plenty, logger: logger)
            Issue.record("a 503 must fail the invocation")
        } catch let failure as InvocationFailure {
            #expect(failure.reason == .transientFailure)
            #expect(failure.summary.items.map(\.status) == [.retry])
        }
        let retry = try await handler.handle(event: s3Event([incoming]), remainingTime: plenty, logger: logger)
        #expect(retry.items.map(\.status) == [.processed])
    }

    @Test func recordsAreDeferredWhenTheDeadlineIsNear() async throws {
        let store = MemoryStore()
        let (ledger, _) = memoryLedger()
        await store.seed(incoming, "good")
        do {
            _ = try await make(store, ledger).handle(
                event: s3Event([incoming]), remainingTime: { .seconds(2) }, logger: logger)
            Issue.record("expected a deferral error")
        } catch let failure as InvocationFailure {
            #expect(failure.reason == .recordsDeferred)
            #expect(failure.summary.deferred == 1)
        }
        #expect(await store.objects.count == 1, "nothing was written")
    }

    @Test func testEventAndMalformedRecords() async throws {
        let store = MemoryStore()
        let (ledger, _) = memoryLedger()
        let handler = make(store, ledger)
        let summary = try await handler.handle(
            event: ByteBuffer(string: #"{"Service":"Amazon S3","Event":"s3:TestEvent"}"#), remainingTime: plenty,
            logger: logger)
        #expect(summary.items.isEmpty)
        await #expect(throws: InvocationFailure.self) {
            try await handler.handle(
                event: ByteBuffer(string: #"{"Records":[{"s3":{}}]}"#), remainingTime: plenty, logger: logger)
        }
    }

    @Test func outputKeys() {
        #expect(ProcessingHandler.outputKey(for: "a/b.wibl") == "a/b.geojson")
        #expect(ProcessingHandler.outputKey(for: "B.WIBL") == "B.geojson")
        #expect(ProcessingHandler.outputKey(for: "wibl-raw.12") == "wibl-raw.12.geojson")
    }
}

@Suite struct SubmissionHandlerTests {
    let staged = ObjectReference(bucket: "staging", key: "x.geojson")
    let file = ledgerFileID(of: ByteBuffer(string: "logger bytes"))

    func make(_ store: MemoryStore, _ submitter: CountingSubmitter, _ ledger: Ledger) -> SubmissionHandler {
        SubmissionHandler(store: store, submitter: submitter, validator: FakeValidator(), ledger: ledger, now: clock)
    }

    /// A staged object as processing leaves it, and its `processed` record.
    func seed(_ store: MemoryStore, _ ledger: Ledger, body: String = "{}", sourceID: String? = "UNHJHC-1") async throws
    {
        var tags = [ObjectTag("WIBL-File", file)]
        if let sourceID { tags.append(ObjectTag("SourceID", sourceID)) }
        await store.seed(staged, body, tags: tags)
        _ = try await ledger.apply(
            .processed(
                source: LedgerObject(bucket: "in", key: "x.wibl"),
                staged: LedgerObject(bucket: "staging", key: "x.geojson"),
                soundings: 7, vesselID: "UNHJHC-1", nauticalMiles: 0.5),
            file: file, actor: "process")
    }

    @Test func postsExactlyOnceAcrossRepeatedDeliveries() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger)
        let handler = make(store, submitter, ledger)
        let first = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        let second = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(await submitter.posts == ["UNHJHC-1"])
        #expect(first.items.map(\.status) == [.submitted])
        #expect(second.items.map(\.status) == [.duplicate])
        #expect(try await ledger.record(file: file).entries.map(\.event) == [.processed, .claimed, .submitted])
        #expect(await store.tag("WIBL-Submitted", of: staged) == "id-1")
    }

    @Test func eightConcurrentDeliveriesPostOnce() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger)
        let handler = make(store, submitter, ledger)
        let statuses = try await withThrowingTaskGroup(of: ItemResult.Status.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger).items[0]
                        .status
                }
            }
            var all: [ItemResult.Status] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(await submitter.posts.count == 1)
        #expect(statuses.count { $0 == .submitted } == 1)
        #expect(statuses.count { $0 == .duplicate } == 7)
    }

    @Test func invalidDocumentsAreRecordedAndNotPosted() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger, body: "invalid")
        let summary = try await make(store, submitter, ledger).handle(
            event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(summary.items.map(\.status) == [.invalid])
        #expect(await submitter.posts.isEmpty)
        #expect(try await ledger.record(file: file).state == .invalid)
        #expect(await store.tag("WIBL-Error", of: staged) == "InvalidGeoJSON")
    }

    @Test func aRefusalIsRecordedAndPostedAgainOnlyAfterResubmit() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger)
        await submitter.setOutcomes([
            .refused(errorClass: "DCDBRefused", answer: "success false", httpStatus: 200),
            .accepted(SubmissionReceipt(summary: "ok")),
        ])
        let handler = make(store, submitter, ledger)
        let first = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(first.items.map(\.status) == [.refused])
        let again = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(again.items.map(\.status) == [.duplicate], "a refused file is not posted again by itself")
        _ = try await ledger.apply(.resubmit(confirmNotReceived: false), file: file, actor: "operator")
        let retry = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(retry.items.map(\.status) == [.submitted])
        #expect(await submitter.posts.count == 2)
    }

    @Test func anUnknownOutcomeIsNeverPostedAgain() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger)
        await submitter.setOutcomes([.unknown(errorClass: "DCDBTimedOut", reason: "no answer", httpStatus: nil)])
        let handler = make(store, submitter, ledger)
        let first = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(first.items.map(\.status) == [.unknown])
        _ = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(await submitter.posts.count == 1)
        #expect(try await ledger.record(file: file).state == .unknown)
        let refused = try await ledger.apply(.resubmit(confirmNotReceived: false), file: file, actor: "operator")
        guard case .refused = refused else {
            Issue.record("resubmitting an unknown file needs --confirm-not-received")
            return
        }
    }

    @Test func nothingSentReleasesTheClaimAndFailsForARetry() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger)
        await submitter.setOutcomes([
            .notSent(errorClass: "DCDBTransport", reason: "connection refused"),
            .accepted(SubmissionReceipt(summary: "ok")),
        ])
        let handler = make(store, submitter, ledger)
        await #expect(throws: InvocationFailure.self) {
            try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        }
        #expect(try await ledger.record(file: file).state == .processed)
        let retry = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(retry.items.map(\.status) == [.submitted])
        #expect(
            try await ledger.record(file: file).entries.map(\.event) == [
                .processed, .claimed, .released, .claimed, .submitted,
            ])
    }

    @Test func aStaleClaimIsUnknownAndNotPosted() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger)
        _ = try await ledger.apply(
            .claim(staged: LedgerObject(bucket: "staging", key: "x.geojson"), deadline: clock() - 1), file: file,
            actor: "submit dead")
        let summary = try await make(store, submitter, ledger).handle(
            event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(summary.items.map(\.status) == [.duplicate])
        #expect(await submitter.posts.isEmpty)
        #expect(try await ledger.record(file: file).effectiveState(now: clock()) == .unknown)
    }

    @Test func aMissingSourceIDIsInvalid() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        try await seed(store, ledger, sourceID: nil)
        let summary = try await make(store, submitter, ledger).handle(
            event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(summary.items.map(\.errorClass) == ["MissingSourceID"])
        #expect(await submitter.posts.isEmpty)
        #expect(try await ledger.record(file: file).state == .invalid)
    }
}

@Suite struct ReconcileHandlerTests {
    @Test func findsFilesWithoutEventsAndSubmitsProcessedOnes() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        let (ledger, _) = memoryLedger()
        let missed = ObjectReference(bucket: "in", key: "missed.wibl")
        await store.seed(missed, "good missed")
        await store.seed(ObjectReference(bucket: "in", key: "notes.txt"), "not a logger file")
        let processing = ProcessingHandler(
            store: store, converter: FakeConverter(), stagingBucket: "staging", ledger: ledger)
        let submission = SubmissionHandler(
            store: store, submitter: submitter, validator: FakeValidator(), ledger: ledger, now: clock)
        let reconcile = ReconcileHandler(
            processing: processing, submission: submission, incomingBucket: "in", now: clock)
        let first = try await reconcile.handle(event: ByteBuffer(string: "{}"), remainingTime: plenty, logger: logger)
        #expect(first.items.map(\.status) == [.processed])
        let second = try await reconcile.handle(event: ByteBuffer(string: "{}"), remainingTime: plenty, logger: logger)
        #expect(second.items.map(\.status) == [.submitted])
        let third = try await reconcile.handle(event: ByteBuffer(string: "{}"), remainingTime: plenty, logger: logger)
        #expect(third.items.isEmpty)
        #expect(await submitter.posts.count == 1)
    }
}
