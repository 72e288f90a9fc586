import NIOCore

extension S3Client {
    /// GetObjectTagging (`GET /bucket/key?tagging`).
    ///
    /// - Returns: The tags in S3's order.
    /// - Throws: ``S3Error``.
    public func getObjectTagging(bucket: String, key: String) async throws -> [S3Tag] {
        let context = S3RequestContext(operation: .getObjectTagging, bucket: bucket, key: key)
        let request = S3Request(context: context, method: .GET, query: [QueryParameter("tagging")])
        let response = try await send(request)
        let body = try await collectReply(response, context: context)
        do {
            let root = try S3XML.parse(body.readableBytesView)
            guard root.name == "Tagging" else {
                throw S3Error.malformedResponse(
                    context: context, status: Int(response.status.code),
                    reason: "root element is <\(root.name)>, not <Tagging>")
            }
            return (root.child("TagSet")?.children("Tag") ?? []).map {
                S3Tag(key: $0.text(of: "Key") ?? "", value: $0.text(of: "Value") ?? "")
            }
        } catch let error as XMLParseError {
            throw S3Error.malformedResponse(
                context: context, status: Int(response.status.code), reason: error.description)
        }
    }

    /// PutObjectTagging (`PUT /bucket/key?tagging`): replaces the whole tag set. Sends `Content-MD5`
    /// as AWS documents for this call.
    ///
    /// - Throws: ``S3Error``; ``S3Error/invalidArgument(context:reason:)`` for more than 10 tags.
    public func putObjectTagging(bucket: String, key: String, tags: [S3Tag]) async throws {
        let context = S3RequestContext(operation: .putObjectTagging, bucket: bucket, key: key)
        guard tags.count <= 10 else {
            throw S3Error.invalidArgument(
                context: context, reason: "S3 allows at most 10 tags per object, not \(tags.count)")
        }
        let xml = Self.taggingDocument(tags)
        let bytes = Array(xml.utf8)
        var request = S3Request(context: context, method: .PUT, query: [QueryParameter("tagging")])
        request.headers = [
            HTTPHeaderField("Content-Type", "application/xml"), HTTPHeaderField("Content-MD5", ContentMD5.of(bytes)),
        ]
        request.body = .bytes(ByteBuffer(bytes: bytes))
        request.payload = .of(bytes)
        _ = try await send(request)
    }

    /// The `<Tagging>` document of PutObjectTagging (cloud.md §1.3).
    public static func taggingDocument(_ tags: [S3Tag]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging xmlns=\"\(S3XML.namespace)\"><TagSet>"
        for tag in tags {
            xml += "<Tag>" + S3XML.element("Key", tag.key) + S3XML.element("Value", tag.value) + "</Tag>"
        }
        return xml + "</TagSet></Tagging>"
    }
}
