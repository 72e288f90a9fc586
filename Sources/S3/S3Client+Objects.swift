import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension S3Client {
    /// GetObject, streaming: returns as soon as the reply headers arrive.
    ///
    /// Retries cover the request until the headers arrive; a failure while the body streams is the
    /// caller's to handle (or use ``getObject(bucket:key:collectUpTo:)``, which retries it).
    ///
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The object key (raw; encoded here).
    ///   - range: An optional byte range, e.g. `0...9` (answer 206).
    /// - Returns: The metadata and the body stream.
    /// - Throws: ``S3Error``; `NoSuchKey` / `NoSuchBucket` with status 404 when missing.
    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil) async throws -> S3ObjectStream
    {
        var request = S3Request(
            context: S3RequestContext(operation: .getObject, bucket: bucket, key: key), method: .GET)
        if let range {
            request.headers.append(HTTPHeaderField("Range", "bytes=\(range.lowerBound)-\(range.upperBound)"))
        }
        let response = try await send(request)
        let metadata = S3ObjectMetadata(headers: response.headers)
        return S3ObjectStream(
            metadata: metadata,
            body: S3ObjectBody(base: response.body, expectedLength: metadata.contentLength, context: request.context))
    }

    /// GetObject into memory, with the whole exchange (headers and body) retried on transient failures.
    ///
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The object key.
    ///   - maxBytes: The largest body accepted.
    /// - Returns: The metadata and the bytes.
    /// - Throws: ``S3Error``, including ``S3Error/bodyTooLarge(context:limit:)`` and
    ///   ``S3Error/bodyLengthMismatch(context:expected:received:)``.
    public func getObject(bucket: String, key: String, collectUpTo maxBytes: Int) async throws -> S3Object {
        try await withOperationDeadline { try await collectObject(bucket: bucket, key: key, upTo: maxBytes) }
    }

    /// The body of ``getObject(bucket:key:collectUpTo:)``, run under one operation deadline.
    private func collectObject(bucket: String, key: String, upTo maxBytes: Int) async throws -> S3Object {
        let context = S3RequestContext(operation: .getObject, bucket: bucket, key: key)
        var attempt = 0
        while true {
            attempt += 1
            let stream = try await getObject(bucket: bucket, key: key)
            if let length = stream.metadata.contentLength, length > Int64(maxBytes) {
                throw S3Error.bodyTooLarge(context: context, limit: maxBytes)
            }
            do {
                var collected = ByteBuffer()
                for try await var chunk in stream.body {
                    guard collected.readableBytes + chunk.readableBytes <= maxBytes else {
                        throw S3Error.bodyTooLarge(context: context, limit: maxBytes)
                    }
                    collected.writeBuffer(&chunk)
                }
                return S3Object(metadata: stream.metadata, body: collected)
            } catch let error as S3Error {
                // A body cut short by the network is worth another attempt.
                switch error {
                case .bodyLengthMismatch, .transport:
                    guard
                        retryPolicy.shouldRetry(
                            after: .transportFailure(.connection), attempt: attempt, isIdempotent: true)
                    else { throw error }
                    let wait = retryPolicy.delay(beforeRetry: attempt, random: Double.random(in: 0...1))
                    if let deadline = Self.operationDeadline, NIODeadline.now() + TimeAmount(wait) >= deadline {
                        throw S3Error.timedOut(
                            context: context, endpoint: endpoint.description, timeout: operationTimeout,
                            attempts: attempt, lastError: "\(error)")
                    }
                    logger.debug(
                        "S3 GetObject body failed, retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                    try await Task.sleep(for: wait)
                default: throw error
                }
            }
        }
    }

    /// HeadObject.
    ///
    /// - Returns: The metadata, or `nil` when S3 answers 404 (missing key — or missing bucket: a HEAD
    ///   reply has no body to tell them apart; cloud.md §1.3).
    /// - Throws: ``S3Error`` for every other failure (403 is an error, not "missing").
    public func headObject(bucket: String, key: String) async throws -> S3ObjectMetadata? {
        let request = S3Request(
            context: S3RequestContext(operation: .headObject, bucket: bucket, key: key), method: .HEAD)
        do {
            let response = try await send(request)
            return S3ObjectMetadata(headers: response.headers)
        } catch let error as S3Error where error.status == 404 {
            return nil
        }
    }

    /// PutObject: uploads bytes or a file in one request (≤ 5 GB, API_PutObject).
    ///
    /// The body is hashed into `x-amz-content-sha256`. A file over HTTPS is sent with
    /// `UNSIGNED-PAYLOAD` when ``allowsUnsignedPayloadOverHTTPS`` is set, saving one read.
    ///
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The object key.
    ///   - body: The bytes or the file.
    ///   - contentType: `Content-Type` to store (S3 stores `binary/octet-stream` when absent).
    ///   - tags: Tags set with the upload (`x-amz-tagging`); at most 10.
    /// - Returns: The ETag.
    /// - Throws: ``S3Error``; ``S3Error/localFile(context:path:reason:)`` if the file cannot be read.
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: S3UploadBody, contentType: String? = nil, tags: [S3Tag] = []
    ) async throws -> S3WriteResult {
        let context = S3RequestContext(operation: .putObject, bucket: bucket, key: key)
        guard tags.count <= 10 else {
            throw S3Error.invalidArgument(
                context: context, reason: "S3 allows at most 10 tags per object, not \(tags.count)")
        }
        var request = S3Request(context: context, method: .PUT)
        if let contentType { request.headers.append(HTTPHeaderField("Content-Type", contentType)) }
        if !tags.isEmpty { request.headers.append(HTTPHeaderField("x-amz-tagging", S3Tag.taggingHeader(tags))) }
        switch body {
        case .bytes(let buffer):
            request.body = .bytes(buffer)
            request.payload = .of(buffer.readableBytesView)
        case .file(let path):
            do {
                if endpoint.isSecure && allowsUnsignedPayloadOverHTTPS {
                    request.body = .file(path: path, length: try LocalFile.size(of: path))
                    request.payload = .unsigned
                } else {
                    _ = try LocalFile.size(of: path)  // a clear error for folders and devices
                    let (hash, length) = try LocalFile.sha256(of: path)
                    request.body = .file(path: path, length: length)
                    request.payload = hash
                }
            } catch {
                throw S3Error.localFile(context: context, path: error.path, reason: error.reason)
            }
        }
        let response = try await send(request)
        return S3WriteResult(eTag: response.headers.first(name: "etag"))
    }

    /// DeleteObject. Deleting a missing key succeeds too (S3 answers 204 either way).
    ///
    /// - Throws: ``S3Error`` (e.g. `NoSuchBucket`, `AccessDenied`).
    public func deleteObject(bucket: String, key: String) async throws {
        let request = S3Request(
            context: S3RequestContext(operation: .deleteObject, bucket: bucket, key: key), method: .DELETE)
        _ = try await send(request)
    }

    /// CopyObject within S3 (≤ 5 GB).
    ///
    /// - Parameters:
    ///   - sourceBucket: The source bucket.
    ///   - sourceKey: The source key.
    ///   - bucket: The destination bucket.
    ///   - key: The destination key.
    ///   - replacingTags: `nil` copies the source's tags; an array replaces them
    ///     (`x-amz-tagging-directive: REPLACE`).
    /// - Returns: The new object's ETag.
    /// - Throws: ``S3Error``, also when S3 answers 200 with an `<Error>` body (API_CopyObject).
    @discardableResult
    public func copyObject(
        sourceBucket: String, sourceKey: String, bucket: String, key: String, replacingTags: [S3Tag]? = nil
    ) async throws -> S3WriteResult {
        let context = S3RequestContext(operation: .copyObject, bucket: bucket, key: key)
        var request = S3Request(context: context, method: .PUT)
        request.headers.append(
            HTTPHeaderField("x-amz-copy-source", Self.requestPath(bucket: sourceBucket, key: sourceKey)))
        if let replacingTags {
            request.headers.append(HTTPHeaderField("x-amz-tagging-directive", "REPLACE"))
            request.headers.append(HTTPHeaderField("x-amz-tagging", S3Tag.taggingHeader(replacingTags)))
        }
        let response = try await send(request)
        let status = Int(response.status.code)
        let body = try await collectReply(response, context: context)
        if let error = Self.parseErrorBody(body) {
            throw S3Error.service(
                context: context, status: status, code: error.code, message: error.message,
                requestID: error.requestID ?? response.headers.first(name: "x-amz-request-id"))
        }
        guard let root = try? S3XML.parse(body.readableBytesView), root.name == "CopyObjectResult" else {
            throw S3Error.malformedResponse(
                context: context, status: status, reason: "no CopyObjectResult in the reply")
        }
        return S3WriteResult(eTag: root.text(of: "ETag"))
    }

    /// Reads a small XML reply body (≤ 16 MiB).
    func collectReply(_ response: HTTPClientResponse, context: S3RequestContext) async throws -> ByteBuffer {
        do {
            return try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw S3Error.transport(context: context, endpoint: endpoint.description, underlying: error)
        }
    }
}
