/// An S3 object named by an event record (`cloud.md` §4).
public struct ObjectReference: Sendable, Hashable, CustomStringConvertible {
    /// Bucket name.
    public var bucket: String
    /// Object key, already URL-decoded.
    public var key: String
    /// Object size in bytes, when the event gives it.
    public var size: Int64?
    /// The event name (`ObjectCreated:Put` …), when the event gives it.
    public var eventName: String?

    /// Creates a reference.
    public init(bucket: String, key: String, size: Int64? = nil, eventName: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.eventName = eventName
    }

    /// `s3://bucket/key`.
    public var description: String { "s3://\(bucket)/\(key)" }
}
