import NIOCore

/// A sink that writes the document straight into a `ByteBuffer`, such as the body of an upload: the
/// document is built once, in the buffer that is sent, never gathered elsewhere and copied.
public struct ByteBufferSink: GeoJSONSink, Sendable {
    /// Everything written so far.
    public private(set) var buffer: ByteBuffer

    /// Creates an empty sink with room for `capacity` bytes (it grows as needed).
    public init(capacity: Int = 0) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Appends a chunk.
    public mutating func write(_ bytes: [UInt8]) throws {
        buffer.writeBytes(bytes)
    }
}
