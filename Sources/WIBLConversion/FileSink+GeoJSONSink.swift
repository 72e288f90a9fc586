import NIOCore
import WIBLGeoJSON
import WIBLSystem

extension FileSink: GeoJSONSink {
    /// Writes a chunk of the document to the temporary file.
    ///
    /// - Throws: ``FileOutputError/writeFailed(path:errno:)``.
    public mutating func write(_ chunk: ByteBuffer) throws {
        try chunk.withUnsafeReadableBytes { raw throws(FileOutputError) in try write(raw) }
    }
}
