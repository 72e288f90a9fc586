import NIOCore
import S3

/// ``ObjectStore`` over the project's S3 client.
public struct S3ObjectStore: ObjectStore {
    /// The client.
    public var client: S3Client
    /// Largest object the handlers read (logger files are ~10 MiB).
    public var maximumObjectBytes = 1 << 30

    /// Creates the store.
    public init(client: S3Client) { self.client = client }

    /// GETs the whole object (at most ``maximumObjectBytes``).
    public func get(_ object: ObjectReference) async throws -> ByteBuffer {
        try await client.getObject(bucket: object.bucket, key: object.key, collectUpTo: maximumObjectBytes).body
    }

    /// PUTs the complete object with its tags in one request.
    public func put(_ body: ByteBuffer, to object: ObjectReference, contentType: String, tags: [ObjectTag]) async throws
    {
        _ = try await client.putObject(
            bucket: object.bucket, key: object.key, body: .bytes(body), contentType: contentType,
            tags: tags.map { S3Tag(key: $0.key, value: $0.value) })
    }

    /// Reads the object's tag set (GetObjectTagging).
    public func tags(of object: ObjectReference) async throws -> [ObjectTag] {
        try await client.getObjectTagging(bucket: object.bucket, key: object.key).map { ObjectTag($0.key, $0.value) }
    }

    /// Replaces the object's tag set (PutObjectTagging).
    public func setTags(_ tags: [ObjectTag], on object: ObjectReference) async throws {
        try await client.putObjectTagging(
            bucket: object.bucket, key: object.key, tags: tags.map { S3Tag(key: $0.key, value: $0.value) })
    }
}

extension S3Error: ClassifiedError {}
