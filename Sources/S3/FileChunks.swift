import Crypto
import NIOCore
import WIBLSystem

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

    struct Iterator: AsyncIteratorProtocol {
        let path: String
        let context: S3RequestContext
        var file: ReadableFile?
        var finished = false

        init(path: String, context: S3RequestContext) {
            self.path = path
            self.context = context
        }

        mutating func next() async throws -> ByteBuffer? {
            if finished { return nil }
            do {
                let file = try self.file ?? ReadableFile(path: path)
                self.file = file
                var buffer = ByteBuffer()
                buffer.reserveCapacity(FileChunks.chunkSize)
                var failure: SystemError?
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: FileChunks.chunkSize) { raw in
                    do throws(SystemError) {
                        return try file.read(
                            into: UnsafeMutableRawBufferPointer(rebasing: raw[..<FileChunks.chunkSize]))
                    } catch {
                        failure = error
                        return 0
                    }
                }
                if let failure { throw failure }
                if buffer.readableBytes == 0 {
                    finished = true
                    self.file = nil
                    return nil
                }
                return buffer
            } catch let error as SystemError {
                throw S3Error.localFile(context: context, path: path, reason: SystemError.reason(error.code))
            }
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
        do throws(SystemError) {
            let file = try ReadableFile(path: path)
            var hasher = SHA256()
            var total: Int64 = 0
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: FileChunks.chunkSize, alignment: 1)
            defer { chunk.deallocate() }
            while true {
                let n = try file.read(into: chunk)
                if n == 0 { break }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[..<n]))
                total += Int64(n)
            }
            return (.sha256Hex(hexEncode(hasher.finalize())), total)
        } catch {
            throw LocalFileError(path: path, reason: SystemError.reason(error.code))
        }
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
