import Logging
import NIOCore
import Testing
import WIBLCloud

/// An in-memory object store: the decision logic of the handlers, tested without sockets.
actor MemoryStore: ObjectStore {
    struct Missing: Error {}
    var objects: [ObjectReference: ByteBuffer] = [:]
    var tagSets: [ObjectReference: [ObjectTag]] = [:]
    var failTagWrites = false

    func seed(_ object: ObjectReference, _ text: String, tags: [ObjectTag] = []) {
        objects[Self.normal(object)] = ByteBuffer(string: text)
        tagSets[Self.normal(object)] = tags
    }

    static func normal(_ o: ObjectReference) -> ObjectReference { ObjectReference(bucket: o.bucket, key: o.key) }

    func get(_ object: ObjectReference) async throws -> ByteBuffer {
        guard let body = objects[Self.normal(object)] else { throw Missing() }
        return body
    }

    func put(_ body: ByteBuffer, to object: ObjectReference, contentType: String, tags: [ObjectTag]) async throws {
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
    struct Refused: Error, CustomStringConvertible { var description: String { "DCDB said success: false" } }
    var posts: [String] = []
    var refuse = false

    func setRefuse(_ value: Bool) { refuse = value }

    func submit(_ geojson: ByteBuffer, fileName: String, uniqueID: String) async throws -> SubmissionReceipt {
        posts.append(uniqueID)
        if refuse { throw Refused() }
        return SubmissionReceipt(summary: "id-\(posts.count)")
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
            + o.bucket + #""},"object":{"key":""# + o.key.replacingSpaces() + #"","size":1}}}"#
    }
    return ByteBuffer(string: #"{"Records":["# + records.joined(separator: ",") + "]}")
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "+" : $0 }) }
}

let plenty: @Sendable () -> Duration = { .seconds(60) }
let logger = Logger(label: "test")

@Suite struct ProcessingHandlerTests {
    let incoming = ObjectReference(bucket: "in", key: "2024/log one.wibl")
    let bad = ObjectReference(bucket: "in", key: "bad.wibl")

    @Test func convertsIntoStagingWithTagsAndMarksTheSource() async throws {
        let store = MemoryStore()
        await store.seed(incoming, "good data", tags: [ObjectTag("Owner", "ccom")])
        let handler = ProcessingHandler(store: store, converter: FakeConverter(), stagingBucket: "staging")
        let summary = try await handler.handle(event: s3Event([incoming]), remainingTime: plenty, logger: logger)
        #expect(summary.succeeded == 1 && summary.failed == 0)
        let output = ObjectReference(bucket: "staging", key: "2024/log one.geojson")
        #expect(await store.objects[output].map { String(buffer: $0) } == #"{"converted":"good data"}"#)
        #expect(
            await store.tagSets[output] == [
                ObjectTag("SourceID", "UNHJHC-Gulf Surveyor"), ObjectTag("Logger", "Gulf Surveyor"),
                ObjectTag("Soundings", "42"),
            ])
        #expect(await store.tagSets[incoming] == [ObjectTag("Owner", "ccom"), ObjectTag("WIBL-Status", "processed")])
        #expect(summary.json.serialized().contains(#""output":"s3://staging/2024/log one.geojson""#))
    }

    @Test func aBadFileFailsAloneLeavesNothingInStagingAndIsTagged() async throws {
        let store = MemoryStore()
        await store.seed(incoming, "good")
        await store.seed(bad, "garbage")
        let handler = ProcessingHandler(store: store, converter: FakeConverter(), stagingBucket: "staging")
        let summary = try await handler.handle(event: s3Event([bad, incoming]), remainingTime: plenty, logger: logger)
        #expect(summary.succeeded == 1 && summary.failed == 1)
        #expect(await store.objects[ObjectReference(bucket: "staging", key: "bad.geojson")] == nil)
        #expect(await store.tag("WIBL-Status", of: bad) == "failed")
        #expect(await store.tag("WIBL-Error", of: bad) == "BadFile")
        #expect(await store.objects[bad] != nil, "the source stays where it is")
        #expect(summary.items[0].error == "the file is not a WIBL file")
    }

    @Test func everyRecordFailingIsAnInvocationError() async throws {
        let store = MemoryStore()
        await store.seed(bad, "garbage")
        let handler = ProcessingHandler(store: store, converter: FakeConverter(), stagingBucket: "staging")
        await #expect(throws: InvocationFailure.self) {
            try await handler.handle(event: s3Event([bad]), remainingTime: plenty, logger: logger)
        }
    }

    @Test func recordsAreDeferredWhenTheDeadlineIsNear() async throws {
        let store = MemoryStore()
        await store.seed(incoming, "good")
        let handler = ProcessingHandler(store: store, converter: FakeConverter(), stagingBucket: "staging")
        do {
            _ = try await handler.handle(event: s3Event([incoming]), remainingTime: { .seconds(2) }, logger: logger)
            Issue.record("expected a deferral error")
        } catch let failure as InvocationFailure {
            #expect(failure.reason == .recordsDeferred)
            #expect(failure.summary.deferred == 1)
        }
        #expect(await store.objects.count == 1, "nothing was written")
    }

    @Test func testEventAndMalformedRecords() async throws {
        let store = MemoryStore()
        let handler = ProcessingHandler(store: store, converter: FakeConverter(), stagingBucket: "staging")
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

    func make(_ store: MemoryStore, _ submitter: CountingSubmitter) -> SubmissionHandler {
        SubmissionHandler(store: store, submitter: submitter, validator: FakeValidator())
    }

    @Test func postsExactlyOnceAcrossRepeatedDeliveries() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        await store.seed(staged, "{}", tags: [ObjectTag("SourceID", "UNHJHC-1")])
        let handler = make(store, submitter)
        let first = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        let second = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(await submitter.posts == ["UNHJHC-1"])
        #expect(first.items.map(\.status) == [.submitted])
        #expect(second.items.map(\.status) == [.alreadySubmitted])
        #expect(await store.tag("WIBL-Submitted", of: staged) == "id-1")
        #expect(await store.tag("WIBL-Status", of: staged) == "submitted")
    }

    @Test func aDeliveryThatFindsSubmittingInProgressDoesNotPost() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        await store.seed(
            staged, "{}", tags: [ObjectTag("SourceID", "UNHJHC-1"), ObjectTag("WIBL-Status", "submitting")])
        _ = try await make(store, submitter).handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(await submitter.posts.isEmpty)
    }

    @Test func invalidDocumentsAreTaggedAndNotPosted() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        await store.seed(staged, "invalid", tags: [ObjectTag("SourceID", "UNHJHC-Gulf Surveyor")])
        await #expect(throws: InvocationFailure.self) {
            try await make(store, submitter).handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        }
        #expect(await submitter.posts.isEmpty)
        #expect(await store.tag("WIBL-Status", of: staged) == "invalid")
        #expect(await store.tag("WIBL-Error", of: staged) == "InvalidGeoJSON")
    }

    @Test func aRefusalIsTaggedAndCanBeRetriedLater() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        await submitter.setRefuse(true)
        await store.seed(staged, "{}", tags: [ObjectTag("SourceID", "UNHJHC-1")])
        let handler = make(store, submitter)
        await #expect(throws: InvocationFailure.self) {
            try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        }
        #expect(await store.tag("WIBL-Status", of: staged) == "refused")
        #expect(await store.tag("WIBL-Error", of: staged) == "Refused")
        await submitter.setRefuse(false)
        let retry = try await handler.handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        #expect(retry.items.map(\.status) == [.submitted])
        #expect(await submitter.posts.count == 2)
    }

    @Test func aMissingSourceIDFailsTheItem() async throws {
        let store = MemoryStore()
        let submitter = CountingSubmitter()
        await store.seed(staged, "{}")
        await #expect(throws: InvocationFailure.self) {
            try await make(store, submitter).handle(event: s3Event([staged]), remainingTime: plenty, logger: logger)
        }
        #expect(await submitter.posts.isEmpty)
        #expect(await store.tag("WIBL-Error", of: staged) == "MissingSourceID")
    }
}
