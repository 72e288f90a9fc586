import JSONValue
import NIOCore
import Testing
import WIBLCloud

/// A converter that reports soundings left out, as accurate mode does.
struct LeavingOutConverter: FileConverter {
    func convert(_ bytes: ByteBuffer, fileName: String) throws -> ConversionOutput {
        var output = ConversionOutput(
            geojson: ByteBuffer(string: "{}"), soundings: 40, loggerID: "Gulf Surveyor",
            vesselID: "UNHJHC-Gulf Surveyor")
        output.leftOut = ["no-data": 3, "no-position": 12]
        return output
    }
}

@Suite struct LeftOutSummaryTests {
    @Test func theLambdaSummaryCountsEachKindLeftOut() async throws {
        let store = MemoryStore()
        let object = ObjectReference(bucket: "in", key: "a.wibl")
        await store.seed(object, "anything")
        let handler = ProcessingHandler(store: store, converter: LeavingOutConverter(), stagingBucket: "staging")
        let summary = try await handler.handle(event: s3Event([object]), remainingTime: plenty, logger: logger)
        let item = try #require(summary.json["items"]?[0])
        #expect(item["soundings"] == 40)
        #expect(item["leftOut"] == ["total": 15, "no-data": 3, "no-position": 12])
    }

    @Test func referenceModeSummariesAreUnchanged() async throws {
        let store = MemoryStore()
        let object = ObjectReference(bucket: "in", key: "good.wibl")
        await store.seed(object, "good data")
        let handler = ProcessingHandler(store: store, converter: FakeConverter(), stagingBucket: "staging")
        let summary = try await handler.handle(event: s3Event([object]), remainingTime: plenty, logger: logger)
        #expect(summary.json["items"]?[0]?["leftOut"] == nil)
    }
}
