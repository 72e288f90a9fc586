import NIOCore

/// One target of a bucket notification configuration.
public struct S3NotificationTarget: Sendable, Hashable {
    /// The kind of destination.
    public enum Kind: Sendable, Hashable {
        /// A Lambda function (`CloudFunctionConfiguration` / `CloudFunction`).
        case lambdaFunction
        /// An SNS topic (`TopicConfiguration` / `Topic`).
        case topic
        /// An SQS queue (`QueueConfiguration` / `Queue`).
        case queue
    }

    /// The kind of destination.
    public var kind: Kind
    /// An optional configuration ID.
    public var id: String?
    /// The destination's ARN.
    public var arn: String
    /// Event types, e.g. `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`.
    public var events: [String]
    /// Only keys starting with this.
    public var prefix: String?
    /// Only keys ending with this (e.g. `.wibl`).
    public var suffix: String?

    /// Creates a target.
    public init(
        kind: Kind, id: String? = nil, arn: String, events: [String], prefix: String? = nil, suffix: String? = nil
    ) {
        self.kind = kind
        self.id = id
        self.arn = arn
        self.events = events
        self.prefix = prefix
        self.suffix = suffix
    }
}

extension S3Client {
    /// CreateBucket in the client's region. Outside `us-east-1` the body names the region
    /// (`LocationConstraint`); in `us-east-1` there is no body (cloud.md §1.3).
    ///
    /// - Throws: ``S3Error`` (`BucketAlreadyOwnedByYou`, `BucketAlreadyExists`, …).
    public func createBucket(_ bucket: String) async throws {
        var request = S3Request(context: S3RequestContext(operation: .createBucket, bucket: bucket), method: .PUT)
        if let xml = Self.createBucketDocument(region: region) {
            let bytes = Array(xml.utf8)
            request.body = .bytes(ByteBuffer(bytes: bytes))
            request.payload = .of(bytes)
        }
        _ = try await send(request)
    }

    /// The `CreateBucketConfiguration` body for a region, or `nil` for `us-east-1`.
    public static func createBucketDocument(region: String) -> String? {
        guard region != "us-east-1" else { return nil }
        return "<CreateBucketConfiguration xmlns=\"\(S3XML.namespace)\">" + S3XML.element("LocationConstraint", region)
            + "</CreateBucketConfiguration>"
    }

    /// PutBucketNotificationConfiguration (`PUT /bucket?notification`): replaces the bucket's whole
    /// notification configuration; an empty list removes it.
    ///
    /// - Throws: ``S3Error``.
    public func putBucketNotificationConfiguration(bucket: String, targets: [S3NotificationTarget]) async throws {
        let xml = Self.notificationDocument(targets)
        let bytes = Array(xml.utf8)
        var request = S3Request(
            context: S3RequestContext(operation: .putBucketNotificationConfiguration, bucket: bucket), method: .PUT,
            query: [QueryParameter("notification")])
        request.headers = [HTTPHeaderField("Content-Type", "application/xml")]
        request.body = .bytes(ByteBuffer(bytes: bytes))
        request.payload = .of(bytes)
        _ = try await send(request)
    }

    /// The `NotificationConfiguration` document (S3 API Reference, PutBucketNotificationConfiguration;
    /// cloud.md §1.3).
    public static func notificationDocument(_ targets: [S3NotificationTarget]) -> String {
        var xml = "<NotificationConfiguration xmlns=\"\(S3XML.namespace)\">"
        for target in targets {
            let (element, arnElement) =
                switch target.kind {
                case .lambdaFunction: ("CloudFunctionConfiguration", "CloudFunction")
                case .topic: ("TopicConfiguration", "Topic")
                case .queue: ("QueueConfiguration", "Queue")
                }
            xml += "<\(element)>"
            if let id = target.id { xml += S3XML.element("Id", id) }
            xml += S3XML.element(arnElement, target.arn)
            for event in target.events { xml += S3XML.element("Event", event) }
            var rules = ""
            if let prefix = target.prefix {
                rules +=
                    "<FilterRule>" + S3XML.element("Name", "prefix") + S3XML.element("Value", prefix) + "</FilterRule>"
            }
            if let suffix = target.suffix {
                rules +=
                    "<FilterRule>" + S3XML.element("Name", "suffix") + S3XML.element("Value", suffix) + "</FilterRule>"
            }
            if !rules.isEmpty { xml += "<Filter><S3Key>" + rules + "</S3Key></Filter>" }
            xml += "</\(element)>"
        }
        return xml + "</NotificationConfiguration>"
    }
}
