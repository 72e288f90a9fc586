import Crypto
import NIOCore

/// The ledger id of a logger file: SHA-256 of its bytes, lower-case hex.
public func ledgerFileID(of bytes: ByteBuffer) -> String {
    var hasher = SHA256()
    bytes.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
    let digest = hasher.finalize()
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in digest {
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
