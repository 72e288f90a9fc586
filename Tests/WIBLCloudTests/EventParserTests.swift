import Testing
import WIBLCloud

@Suite struct EventParserTests {
    /// The documented S3 notification (`cloud.md` §4.1), with a form-encoded key.
    static let s3Event = #"""
        {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-2",
          "eventTime": "1970-01-01T00:00:00.000Z", "eventName": "ObjectCreated:Put",
          "s3": {"s3SchemaVersion": "1.0", "configurationId": "testConfigRule",
                 "bucket": {"name": "wibl-incoming", "arn": "arn:aws:s3:::wibl-incoming"},
                 "object": {"key": "2024%2Fred+flower%C3%A9.wibl", "size": 1024, "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                            "sequencer": "0055AED6DCD90281E5"}}}]}
        """#

    @Test func directS3NotificationDecodesPlusAndPercent() throws {
        let event = try EventParser.parse(Array(Self.s3Event.utf8))
        #expect(event.problems.isEmpty)
        #expect(
            event.objects == [
                ObjectReference(
                    bucket: "wibl-incoming", key: "2024/red floweré.wibl", size: 1024, eventName: "ObjectCreated:Put")
            ])
    }

    @Test func s3NotificationWrappedInSNSIsParsedAgain() throws {
        var escaped = ""
        for c in Self.s3Event { escaped += c == "\"" ? "\\\"" : (c == "\n" ? " " : String(c)) }
        let sns =
            #"{"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": {"Type": "Notification", "Message": ""#
            + escaped + #""}}]}"#
        let event = try EventParser.parse(Array(sns.utf8))
        #expect(event.problems.isEmpty)
        #expect(event.objects.map(\.key) == ["2024/red floweré.wibl"])
    }

    @Test func wiblOwnSNSMessage() throws {
        let sns =
            #"{"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "{\"bucket\": \"wibl-staging\", \"filename\": \"a+b.geojson\", \"size\": 12}"}}]}"#
        let event = try EventParser.parse(Array(sns.utf8))
        #expect(event.objects == [ObjectReference(bucket: "wibl-staging", key: "a b.geojson", size: 12)])
    }

    @Test func mosReducedRecordIsAccepted() throws {
        let moto =
            #"{"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventTime": "2026-01-01T00:00:00.000", "eventName": "ObjectCreated:Put", "s3": {"s3SchemaVersion": "1.0", "configurationId": "x", "bucket": {"name": "b", "arn": "arn:aws:s3:::b"}, "object": {"key": "k.wibl", "size": 3, "eTag": "e"}}}]}"#
        #expect(try EventParser.parse(Array(moto.utf8)).objects.map(\.key) == ["k.wibl"])
    }

    @Test func testEventIsRecognisedAndIgnored() throws {
        let event = try EventParser.parse(Array(#"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}"#.utf8))
        #expect(event.isTestEvent)
        #expect(event.objects.isEmpty)
    }

    @Test func aMalformedRecordFailsAloneAndTheOthersStillCount() throws {
        let text =
            #"{"Records": [{"s3": {"bucket": {"name": "b"}, "object": {}}}, {"s3": {"bucket": {"name": "b"}, "object": {"key": "ok%2"}}}, {"eventVersion": "3.0", "s3": {}}, {"s3": {"bucket": {"name": "b"}, "object": {"key": "good"}}}]}"#
        let event = try EventParser.parse(Array(text.utf8))
        #expect(event.objects.map(\.key) == ["good"])
        #expect(event.problems.count == 3)
        #expect(event.problems.first?.description.contains("record 0") == true)
    }

    @Test(arguments: ["not json", "[1,2]", #"{"hello": 1}"#, #"{"Records": 5}"#])
    func unusableEventsAreTypedErrors(_ text: String) {
        #expect(throws: EventError.self) { try EventParser.parse(Array(text.utf8)) }
    }

    @Test func formURLDecoding() {
        #expect(EventParser.decodeFormURL("a+b%20c%2Fd") == "a b c/d")
        #expect(EventParser.decodeFormURL("%zz") == nil)
        #expect(EventParser.decodeFormURL("%FF") == nil)
        #expect(EventParser.decodeFormURL("100%") == nil)
    }
}
