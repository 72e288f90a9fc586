import Crypto
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A local file read in 256 KiB chunks, as an upload body. Each iteration opens the file again, so
/// a retried upload sends the same bytes from the start.
///
/// Reads are plain blocking `read(2)` calls of one chunk each: short enough not to hold up the
/// cooperative thread pool noticeably for the few-MB files of the pipeline.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    static let chunkSize = 256 * 1024

    let path: String
    let context: S3RequestContext

    func makeAsyncIterator() -> Iterator { Iterator(path: path, context: context) }

    /// Owns the file descriptor and closes it when done or dropped.
    final class Descriptor {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        let context: S3RequestContext
        var descriptor: Descriptor?
        var finished = false

        init(path: String, context: S3RequestContext) {
            self.path = path
            self.context = context
        }

        mutating func next() async throws -> ByteBuffer? {
            if finished { return nil }
            if descriptor == nil {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw S3Error.localFile(context: context, path: path, reason: LocalFile.errorText(errno))
                }
                descriptor = Descriptor(fd)
            }
            guard let fd = descriptor?.fd else { return nil }
            var buffer = ByteBuffer()
            buffer.reserveCapacity(FileChunks.chunkSize)
            while true {
                let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: FileChunks.chunkSize) { raw in
                    read(fd, raw.baseAddress, FileChunks.chunkSize)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw S3Error.localFile(context: context, path: path, reason: LocalFile.errorText(errno))
                }
                break
            }
            if buffer.readableBytes == 0 {
                finished = true
                descriptor = nil
                return nil
            }
            return buffer
        }
    }
}

extension LocalFile {
    /// The size of a regular file.
    static func size(of path: String) throws(LocalFileError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw LocalFileError(path: path, reason: errorText(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw LocalFileError(path: path, reason: "not a regular file") }
        return Int64(info.st_size)
    }

    /// The SHA-256 of a file's contents and the number of bytes hashed.
    static func sha256(of path: String) throws(LocalFileError) -> (PayloadHash, Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LocalFileError(path: path, reason: errorText(errno)) }
        defer { close(fd) }
        var hasher = SHA256()
        var total: Int64 = 0
        var chunk = [UInt8](repeating: 0, count: FileChunks.chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LocalFileError(path: path, reason: errorText(errno))
            }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += Int64(n)
        }
        return (.sha256Hex(hexEncode(hasher.finalize())), total)
    }
}

/// Content-MD5 (base64 of the MD5 digest), which AWS documents for PutObjectTagging (cloud.md §1.3).
enum ContentMD5 {
    static func of(_ bytes: [UInt8]) -> String {
        Base64.encode(Array(Insecure.MD5.hash(data: bytes)))
    }
}

/// Standard base64 with padding (RFC 4648 §4).
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [
                alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)],
                alphabet[Int(n & 63)],
            ]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [
                alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "="),
            ]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
