import NIOCore
import S3

/// Where ledger entries live: create-only objects, read back by key.
public protocol LedgerStorage: Sendable {
    /// Writes `bytes` at `key` only if nothing is there. Returns `false` when the key exists (412) or
    /// another conditional write to it was in flight (409): nothing was written by this call.
    func create(key: String, bytes: [UInt8]) async throws -> Bool
    /// The object at `key`, or `nil` when there is none.
    func read(key: String) async throws -> [UInt8]?
    /// Every key under `prefix`, in key order.
    func list(prefix: String) async throws -> [String]
}

/// Ledger entries in an S3 bucket, written with `If-None-Match: *` (cloud.md §8.2).
public struct S3LedgerStorage: LedgerStorage {
    /// The client.
    public var client: S3Client
    /// The bucket (the staging bucket in the pipeline).
    public var bucket: String

    /// Creates the storage.
    public init(client: S3Client, bucket: String) {
        self.client = client
        self.bucket = bucket
    }

    /// PutObject with `If-None-Match: *`; `false` on 412 or 409.
    public func create(key: String, bytes: [UInt8]) async throws -> Bool {
        do {
            try await client.putObject(
                bucket: bucket, key: key, body: .bytes(bytes), contentType: "application/json", condition: .ifNoneMatch)
            return true
        } catch S3Error.preconditionFailed {
            return false
        } catch {
            throw Self.wrap(error, operation: "write", key: key)
        }
    }

    /// GetObject; `nil` on 404 `NoSuchKey`.
    public func read(key: String) async throws -> [UInt8]? {
        do {
            let object = try await client.getObject(bucket: bucket, key: key, collectUpTo: 1 << 20)
            return Array(object.body.readableBytesView)
        } catch let error as S3Error where error.isNotFound && error.code != "NoSuchBucket" {
            return nil
        } catch {
            throw Self.wrap(error, operation: "read", key: key)
        }
    }

    /// ListObjectsV2 over every page (see ``listablePrefix(_:)``).
    public func list(prefix: String) async throws -> [String] {
        var keys: [String] = []
        do {
            for try await page in client.listObjectsPages(bucket: bucket, prefix: listablePrefix(prefix)) {
                keys += page.objects.map(\.key).filter { $0.hasPrefix(prefix) }
            }
        } catch {
            throw Self.wrap(error, operation: "list", key: prefix)
        }
        return keys.sorted()
    }

    static func wrap(_ error: any Error, operation: String, key: String) -> any Error {
        if error is CancellationError { return error }
        guard let s3 = error as? S3Error else { return error }
        let transient: Bool
        switch s3 {
        case .transport, .timedOut, .unresolvableHost, .bodyLengthMismatch: transient = true
        case .service(_, let status, let code, _, _):
            transient = RetryPolicy.isRetryable(.httpError(status: status, code: code))
        default: transient = false
        }
        return LedgerError.storage(operation: operation, key: key, reason: "\(s3)", isTransient: transient)
    }
}

/// Ledger entries in memory, for tests and dry runs; behaves like S3's create-only writes.
public actor MemoryLedgerStorage: LedgerStorage {
    /// The stored objects.
    public private(set) var objects: [String: [UInt8]] = [:]
    /// Number of failed (lost) creates, for tests.
    public private(set) var lostCreates = 0

    /// Creates an empty store.
    public init() {}

    /// Stores `bytes` unless `key` exists.
    public func create(key: String, bytes: [UInt8]) async throws -> Bool {
        guard objects[key] == nil else {
            lostCreates += 1
            return false
        }
        objects[key] = bytes
        return true
    }

    /// The bytes at `key`.
    public func read(key: String) async throws -> [UInt8]? { objects[key] }

    /// The keys starting with `prefix`, sorted.
    public func list(prefix: String) async throws -> [String] {
        objects.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }
}

/// The longest beginning of `prefix` made of unreserved characters (`A–Z a–z 0–9 - . _ ~`), to send
/// as ListObjectsV2's `prefix`; the caller filters the keys by the whole prefix. Stock moto 5.2.1
/// rejects correctly signed list requests whose prefix needs percent-encoding, such as a `/`
/// (moto #5948; cloud.md Test peers); AWS and RGW accept either.
public func listablePrefix(_ prefix: String) -> String {
    String(
        prefix.prefix { character in
            character.isASCII && (character.isLetter || character.isNumber || "-._~".contains(character))
        })
}
