import NIOCore

/// Where a document's bytes go, in chunks: a file, memory, an upload body.
///
/// ``GeoJSONWriter`` hands over chunks of about ``GeoJSONWriter/chunkSize`` bytes, each a
/// `ByteBuffer` of its own that the sink may keep (append to a body, yield to an upload stream)
/// without copying, so a sink never has to hold the whole document (`STYLE.md`, "Streams run end
/// to end").
public protocol GeoJSONSink {
    /// Takes the next chunk of the document.
    ///
    /// - Throws: Whatever the destination reports; the writer wraps it in
    ///   ``GeoJSONError/sinkFailed(reason:)`` and stops.
    mutating func write(_ chunk: ByteBuffer) throws
}

/// A sink that keeps the whole document in memory (tests, small uploads).
public struct MemorySink: GeoJSONSink, Sendable {
    /// Everything written so far.
    public private(set) var buffer = ByteBuffer()
    /// Number of `write` calls, to show the document really arrives in chunks.
    public private(set) var chunks = 0

    /// Creates an empty sink.
    public init() {}

    /// Everything written so far, as an array.
    public var bytes: [UInt8] { Array(buffer.readableBytesView) }

    /// Appends a chunk.
    public mutating func write(_ chunk: ByteBuffer) throws {
        if chunks == 0 {
            buffer = chunk
        } else {
            buffer.writeImmutableBuffer(chunk)
        }
        chunks += 1
    }
}
