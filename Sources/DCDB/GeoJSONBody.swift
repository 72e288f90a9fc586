import NIOCore

/// The GeoJSON to upload: bytes in memory, or a stream of chunks of known total length.
///
/// A stream is given as a factory so that a retry can read it again from the start.
public struct GeoJSONBody: Sendable {
    /// Total number of bytes.
    public let length: Int
    let makeSource: @Sendable () -> any ChunkSource

    /// A body already in memory.
    public static func bytes(_ buffer: ByteBuffer) -> GeoJSONBody {
        GeoJSONBody(length: buffer.readableBytes) { SingleChunkSource(buffer: buffer) }
    }

    /// A streamed body: `makeSequence` is called once per attempt and must yield exactly `length`
    /// bytes (AsyncHTTPClient fails the request otherwise).
    public static func stream<Chunks: AsyncSequence & Sendable>(
        length: Int, _ makeSequence: @escaping @Sendable () -> Chunks
    ) -> GeoJSONBody where Chunks.Element == ByteBuffer {
        GeoJSONBody(length: length) { IteratorChunkSource(iterator: makeSequence().makeAsyncIterator()) }
    }
}

/// Yields the chunks of one pass over a body (used by one request only, never shared).
protocol ChunkSource: AnyObject {
    func next() async throws -> ByteBuffer?
}

final class SingleChunkSource: ChunkSource {
    private var buffer: ByteBuffer?
    init(buffer: ByteBuffer) { self.buffer = buffer }
    func next() async throws -> ByteBuffer? {
        defer { buffer = nil }
        return buffer
    }
}

final class IteratorChunkSource<Iterator: AsyncIteratorProtocol>: ChunkSource where Iterator.Element == ByteBuffer {
    private var iterator: Iterator
    init(iterator: Iterator) { self.iterator = iterator }
    func next() async throws -> ByteBuffer? { try await iterator.next() }
}

/// The request body: multipart preamble, the file's chunks, multipart epilogue.
struct MultipartBodySequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let preamble: ByteBuffer
    let epilogue: ByteBuffer
    let file: GeoJSONBody

    var length: Int { preamble.readableBytes + file.length + epilogue.readableBytes }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(preamble: preamble, epilogue: epilogue, file: file)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        enum Stage { case preamble, file, epilogue, done }
        let preamble: ByteBuffer
        let epilogue: ByteBuffer
        let file: GeoJSONBody
        var stage = Stage.preamble
        var source: (any ChunkSource)?

        init(preamble: ByteBuffer, epilogue: ByteBuffer, file: GeoJSONBody) {
            self.preamble = preamble
            self.epilogue = epilogue
            self.file = file
        }

        mutating func next() async throws -> ByteBuffer? {
            while true {
                switch stage {
                case .preamble:
                    stage = .file
                    source = file.makeSource()
                    return preamble
                case .file:
                    if let chunk = try await source?.next() {
                        if chunk.readableBytes == 0 { continue }
                        return chunk
                    }
                    source = nil
                    stage = .epilogue
                case .epilogue:
                    stage = .done
                    return epilogue
                case .done:
                    return nil
                }
            }
        }
    }
}
