import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One object tag.
public struct S3Tag: Sendable, Hashable, CustomStringConvertible {
    /// Tag key (≤ 128 Unicode characters).
    public var key: String
    /// Tag value (≤ 256 Unicode characters).
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// `key=value`.
    public var description: String { "\(key)=\(value)" }

    /// The `x-amz-tagging` header value: `K=V&K2=V2`, each part URL-query encoded (space → `%20`;
    /// cloud.md §1.3, PutObject).
    public static func taggingHeader(_ tags: [S3Tag]) -> String {
        tags.map { URIEncoding.encode($0.key) + "=" + URIEncoding.encode($0.value) }.joined(separator: "&")
    }
}

/// What S3 says about an object (GetObject and HeadObject reply headers).
public struct S3ObjectMetadata: Sendable, Hashable {
    /// `Content-Length`.
    public var contentLength: Int64?
    /// `Content-Type`.
    public var contentType: String?
    /// `ETag`, with its quotes (the quoted MD5 for single-part uploads).
    public var eTag: String?
    /// `Last-Modified`, as sent (RFC 7231 date).
    public var lastModified: String?
    /// `x-amz-tagging-count`, when the object has tags.
    public var tagCount: Int?
    /// `x-amz-meta-*` headers, name without the prefix, lower case.
    public var userMetadata: [String: String]

    init(headers: HTTPHeaders) {
        contentLength = headers.first(name: "content-length").flatMap { Int64($0) }
        contentType = headers.first(name: "content-type")
        eTag = headers.first(name: "etag")
        lastModified = headers.first(name: "last-modified")
        tagCount = headers.first(name: "x-amz-tagging-count").flatMap { Int($0) }
        var meta: [String: String] = [:]
        for header in headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            meta[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
        }
        userMetadata = meta
    }
}

/// A whole object read into memory.
public struct S3Object: Sendable {
    /// The reply headers.
    public var metadata: S3ObjectMetadata
    /// The object's bytes.
    public var body: ByteBuffer
}

/// An object whose body is still arriving.
public struct S3ObjectStream: Sendable {
    /// The reply headers.
    public var metadata: S3ObjectMetadata
    /// The body, chunk by chunk. Iterate it once. It throws ``S3Error/bodyLengthMismatch(context:expected:received:)``
    /// if the connection ends before (or after) `Content-Length` bytes.
    public var body: S3ObjectBody
}

/// An object body as an `AsyncSequence` of `ByteBuffer`, checked against `Content-Length`.
public struct S3ObjectBody: AsyncSequence, Sendable {
    /// A chunk of the body.
    public typealias Element = ByteBuffer

    let base: HTTPClientResponse.Body
    let expectedLength: Int64?
    let context: S3RequestContext

    /// Starts the iteration (once only).
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), expectedLength: expectedLength, context: context)
    }

    /// Counts the bytes and checks the total at the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        let expectedLength: Int64?
        let context: S3RequestContext
        var received: Int64 = 0

        /// The next chunk, or `nil` at the end.
        ///
        /// - Throws: ``S3Error/bodyLengthMismatch(context:expected:received:)`` or
        ///   ``S3Error/transport(context:endpoint:underlying:)`` if the connection fails.
        public mutating func next() async throws -> ByteBuffer? {
            let chunk: ByteBuffer?
            do {
                chunk = try await base.next()
            } catch {
                if let expectedLength, received != expectedLength {
                    throw S3Error.bodyLengthMismatch(context: context, expected: expectedLength, received: received)
                }
                throw S3Error.transport(context: context, endpoint: "the body stream", underlying: error)
            }
            guard let chunk else {
                if let expectedLength, received != expectedLength {
                    throw S3Error.bodyLengthMismatch(context: context, expected: expectedLength, received: received)
                }
                return nil
            }
            received += Int64(chunk.readableBytes)
            if let expectedLength, received > expectedLength {
                throw S3Error.bodyLengthMismatch(context: context, expected: expectedLength, received: received)
            }
            return chunk
        }
    }
}

/// What to upload.
public enum S3UploadBody: Sendable {
    /// Bytes in memory.
    case bytes(ByteBuffer)
    /// A local file, streamed from disk (and re-read for a retry).
    case file(path: String)

    /// Bytes from an array.
    public static func bytes(_ bytes: [UInt8]) -> S3UploadBody { .bytes(ByteBuffer(bytes: bytes)) }
}

/// The result of PutObject or CopyObject.
public struct S3WriteResult: Sendable, Hashable {
    /// The new object's ETag (quoted), if S3 sent one.
    public var eTag: String?
}
