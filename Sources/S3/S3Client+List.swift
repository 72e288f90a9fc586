/// One object in a listing.
public struct S3ObjectSummary: Sendable, Hashable {
    /// The key (decoded).
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// The ETag, quoted.
    public var eTag: String?
    /// `LastModified`, ISO 8601 as sent.
    public var lastModified: String?
    /// The storage class (`STANDARD`, …).
    public var storageClass: String?
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable, Hashable {
    /// The objects of this page.
    public var objects: [S3ObjectSummary]
    /// With a delimiter: the "folders" of this page.
    public var commonPrefixes: [String]
    /// Whether more pages follow.
    public var isTruncated: Bool
    /// The token for the next page, when truncated.
    public var nextContinuationToken: String?
}

extension S3Client {
    /// ListObjectsV2, one page (`GET /bucket?list-type=2…`).
    ///
    /// Asks for `encoding-type=url` (as the AWS SDKs do) so that any key survives XML, and decodes
    /// keys and prefixes in the reply.
    ///
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - prefix: Only keys starting with this.
    ///   - delimiter: Roll keys up to the next delimiter into ``S3ListPage/commonPrefixes``.
    ///   - maxKeys: Page size (S3's default and maximum is 1000).
    ///   - continuationToken: The previous page's ``S3ListPage/nextContinuationToken``.
    /// - Throws: ``S3Error``.
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil,
        continuationToken: String? = nil
    ) async throws -> S3ListPage {
        let context = S3RequestContext(operation: .listObjectsV2, bucket: bucket)
        var query = [QueryParameter("list-type", "2"), QueryParameter("encoding-type", "url")]
        if let prefix, !prefix.isEmpty { query.append(QueryParameter("prefix", prefix)) }
        if let delimiter, !delimiter.isEmpty { query.append(QueryParameter("delimiter", delimiter)) }
        if let maxKeys { query.append(QueryParameter("max-keys", "\(maxKeys)")) }
        if let continuationToken { query.append(QueryParameter("continuation-token", continuationToken)) }
        let response = try await send(S3Request(context: context, method: .GET, query: query))
        let status = Int(response.status.code)
        let body = try await collectReply(response, context: context)
        let root: XMLElement
        do {
            root = try S3XML.parse(body.readableBytesView)
        } catch {
            throw S3Error.malformedResponse(context: context, status: status, reason: error.description)
        }
        return try Self.parseListPage(root, context: context, status: status)
    }

    /// Interprets a `ListBucketResult` (elements by name; moto's and AWS's orders differ).
    static func parseListPage(_ root: XMLElement, context: S3RequestContext, status: Int) throws -> S3ListPage {
        guard root.name == "ListBucketResult" else {
            throw S3Error.malformedResponse(context: context, status: status, reason: "root element is <\(root.name)>")
        }
        let encoded = root.text(of: "EncodingType") == "url"
        func decode(_ text: String) -> String { encoded ? formDecode(text) : text }
        var objects: [S3ObjectSummary] = []
        for entry in root.children("Contents") {
            guard let key = entry.text(of: "Key") else {
                throw S3Error.malformedResponse(context: context, status: status, reason: "a <Contents> without <Key>")
            }
            objects.append(
                S3ObjectSummary(
                    key: decode(key), size: entry.text(of: "Size").flatMap { Int64($0) } ?? 0,
                    eTag: entry.text(of: "ETag"), lastModified: entry.text(of: "LastModified"),
                    storageClass: entry.text(of: "StorageClass")))
        }
        let prefixes = root.children("CommonPrefixes").compactMap { $0.text(of: "Prefix") }.map(decode)
        let truncated = root.text(of: "IsTruncated") == "true"
        let token = root.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && token == nil {
            throw S3Error.malformedResponse(
                context: context, status: status, reason: "IsTruncated is true but there is no NextContinuationToken")
        }
        return S3ListPage(
            objects: objects, commonPrefixes: prefixes, isTruncated: truncated, nextContinuationToken: token)
    }

    /// Decodes S3's `encoding-type=url` form (`+` is a space, then `%XX`), as botocore does.
    static func formDecode(_ text: String) -> String {
        URIEncoding.decode(String(text.map { $0 == "+" ? " " : $0 }))
    }

    /// All pages of a listing, fetched lazily one request at a time.
    ///
    /// ```swift
    /// for try await page in s3.listObjectsPages(bucket: "b", prefix: "2024/") { … }
    /// ```
    public func listObjectsPages(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, pageSize: Int? = nil
    ) -> S3ListPages {
        S3ListPages(client: self, bucket: bucket, prefix: prefix, delimiter: delimiter, pageSize: pageSize)
    }

    /// Every object (and common prefix) under `prefix`, following continuation tokens to the end.
    ///
    /// - Throws: ``S3Error``.
    public func listAllObjects(
        bucket: String, prefix: String? = nil, delimiter: String? = nil
    ) async throws -> (objects: [S3ObjectSummary], commonPrefixes: [String]) {
        var objects: [S3ObjectSummary] = []
        var prefixes: [String] = []
        for try await page in listObjectsPages(bucket: bucket, prefix: prefix, delimiter: delimiter) {
            objects += page.objects
            prefixes += page.commonPrefixes
        }
        return (objects, prefixes)
    }
}

/// The pages of a ListObjectsV2 listing as an `AsyncSequence`.
public struct S3ListPages: AsyncSequence, Sendable {
    /// One page.
    public typealias Element = S3ListPage

    let client: S3Client
    let bucket: String
    let prefix: String?
    let delimiter: String?
    let pageSize: Int?

    /// Starts from the first page.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pages: self) }

    /// Requests the next page when asked.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let pages: S3ListPages
        var token: String?
        var done = false

        /// The next page, or `nil` after the last.
        public mutating func next() async throws -> S3ListPage? {
            guard !done else { return nil }
            try Task.checkCancellation()
            let page = try await pages.client.listObjectsV2(
                bucket: pages.bucket, prefix: pages.prefix, delimiter: pages.delimiter, maxKeys: pages.pageSize,
                continuationToken: token)
            if page.isTruncated, let next = page.nextContinuationToken, next != token {
                token = next
            } else {
                done = true
            }
            return page
        }
    }
}
