import JSONValue

/// What an event asks a handler to do: the objects it names, and the records that could not be
/// read (each fails on its own; the others still run).
public struct ParsedEvent: Sendable, Hashable {
    /// Objects named by well-formed records, in record order.
    public var objects: [ObjectReference] = []
    /// One error per malformed record.
    public var problems: [EventError] = []
    /// `true` for S3's one-off `s3:TestEvent` message, which is to be ignored.
    public var isTestEvent = false

    /// Creates an empty parsed event.
    public init() {}
}

/// Reads the three event shapes the handlers accept, detected by shape (`cloud.md` §4, §7):
/// an S3 notification delivered directly (§4.1), an S3 notification wrapped in SNS (§4.2), and
/// WIBL's own SNS message `{"bucket", "filename", "size"}` (§4.3).
public enum EventParser {
    /// Parses an invocation payload.
    ///
    /// - Throws: ``EventError/notJSON(_:)`` or ``EventError/unrecognisedShape(_:)`` when the whole
    ///   event is unusable. Malformed individual records are reported in ``ParsedEvent/problems``.
    public static func parse(_ bytes: some Collection<UInt8>) throws(EventError) -> ParsedEvent {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw .notJSON(error)
        }
        var result = ParsedEvent()
        try read(json, into: &result, allowSNS: true)
        return result
    }

    private static func read(_ json: JSONValue, into result: inout ParsedEvent, allowSNS: Bool) throws(EventError) {
        guard let object = json.objectValue else {
            throw .unrecognisedShape("expected a JSON object, found \(json.typeName)")
        }
        if object["Event"]?.stringValue == "s3:TestEvent" {
            result.isTestEvent = true
            return
        }
        if let records = object["Records"] {
            guard let array = records.arrayValue else {
                throw .unrecognisedShape("'Records' is \(records.typeName), not an array")
            }
            for (index, record) in array.enumerated() {
                readRecord(record, index: index, into: &result, allowSNS: allowSNS)
            }
            return
        }
        if object["bucket"] != nil || object["filename"] != nil {
            do throws(EventError) {
                result.objects.append(try wiblMessage(object, index: 0))
            } catch {
                result.problems.append(error)
            }
            return
        }
        throw .unrecognisedShape("no 'Records', no S3 test event and no WIBL 'bucket'/'filename' message")
    }

    private static func readRecord(_ record: JSONValue, index: Int, into result: inout ParsedEvent, allowSNS: Bool) {
        do throws(EventError) {
            if let sns = record["Sns"] {
                guard allowSNS else { throw .malformedRecord(index: index, reason: "SNS message nested in SNS") }
                guard let message = sns["Message"]?.stringValue else {
                    throw .malformedRecord(index: index, reason: "'Sns.Message' is missing or not a string")
                }
                let inner: JSONValue
                do {
                    inner = try JSONValue.parse(Array(message.utf8))
                } catch {
                    throw .malformedRecord(index: index, reason: "'Sns.Message' is not JSON: \(error)")
                }
                var nested = ParsedEvent()
                do throws(EventError) {
                    try read(inner, into: &nested, allowSNS: false)
                } catch {
                    throw .malformedRecord(index: index, reason: "'Sns.Message': \(error)")
                }
                result.objects += nested.objects
                result.problems += nested.problems.map { problem in
                    EventError.malformedRecord(index: index, reason: "in 'Sns.Message': \(problem)")
                }
                result.isTestEvent = result.isTestEvent || nested.isTestEvent
                return
            }
            result.objects.append(try s3Record(record, index: index))
        } catch {
            result.problems.append(error)
        }
    }

    private static func s3Record(_ record: JSONValue, index: Int) throws(EventError) -> ObjectReference {
        if let version = record["eventVersion"]?.stringValue, !version.hasPrefix("2.") && version != "2" {
            throw .malformedRecord(index: index, reason: "eventVersion \(version) is not 2.x")
        }
        guard let s3 = record["s3"] else {
            throw .malformedRecord(index: index, reason: "no 's3' member (not an S3 notification record)")
        }
        guard let bucket = s3["bucket"]?["name"]?.stringValue, !bucket.isEmpty else {
            throw .malformedRecord(index: index, reason: "'s3.bucket.name' is missing or not a string")
        }
        guard let rawKey = s3["object"]?["key"]?.stringValue, !rawKey.isEmpty else {
            throw .malformedRecord(index: index, reason: "'s3.object.key' is missing or not a string")
        }
        guard let key = decodeFormURL(rawKey) else {
            throw .malformedRecord(index: index, reason: "object key '\(rawKey)' is not valid URL encoding")
        }
        return ObjectReference(
            bucket: bucket, key: key, size: s3["object"]?["size"]?.integerValue,
            eventName: record["eventName"]?.stringValue)
    }

    private static func wiblMessage(_ object: JSONObject, index: Int) throws(EventError) -> ObjectReference {
        guard let bucket = object["bucket"]?.stringValue, !bucket.isEmpty else {
            throw .malformedRecord(index: index, reason: "WIBL message: 'bucket' is missing or not a string")
        }
        guard let rawKey = object["filename"]?.stringValue, !rawKey.isEmpty else {
            throw .malformedRecord(index: index, reason: "WIBL message: 'filename' is missing or not a string")
        }
        guard let key = decodeFormURL(rawKey) else {
            throw .malformedRecord(index: index, reason: "WIBL message: 'filename' is not valid URL encoding")
        }
        return ObjectReference(bucket: bucket, key: key, size: object["size"]?.integerValue)
    }

    /// Decodes form-style URL encoding as S3 events use it: `+` is a space, `%XX` a byte; the result
    /// must be UTF-8 (`cloud.md` §4.1). Returns `nil` for a malformed escape or invalid UTF-8.
    public static func decodeFormURL(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
