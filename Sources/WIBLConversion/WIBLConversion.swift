import NIOCore
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing

/// Why a file could not be converted: the stage that refused it and its typed error.
public enum ConversionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a (readable) WIBL file.
    case decode(WIBLDecodeError)
    /// The processing refused the file.
    case processing(ProcessingError)
    /// The GeoJSON could not be written.
    case output(GeoJSONError)

    /// The underlying error's sentence.
    public var description: String {
        switch self {
        case .decode(let e): e.description
        case .processing(let e): e.description
        case .output(let e): e.description
        }
    }

    /// A short class name (`NotWIBL`, `NoTimeSource`, `BadMetadata` …).
    public var errorClass: String {
        switch self {
        case .decode(let e): e.errorClass
        case .processing(let e): e.errorClass
        case .output(let e): e.errorClass
        }
    }
}

/// What a successful conversion produced.
public struct ConversionResult: Sendable {
    /// What was written.
    public var summary: GeoJSONSummary
    /// The logger's unique id as the file stores it (before the provider prefix).
    public var loggerID: String
    /// The decoder's reports (non-strict mode): damaged packets that were skipped.
    public var decodeProblems: [WIBLDecodeError]
    /// Processing warnings (faults, swapped metadata, non-finite soundings).
    public var processingWarnings: [ProcessingWarning]
    /// Soundings accurate mode left out, by reason (none in reference mode).
    public var leftOut = SoundingsLeftOut()

    /// Every warning as a sentence, in pipeline order.
    public var warnings: [String] {
        decodeProblems.map(\.description) + processingWarnings.map(\.description) + summary.warnings
    }
}

/// The whole conversion of one file, as `wibl convert` and the `process` Lambda both run it:
/// decode → process → GeoJSON into a sink.
public enum WIBLConversion {
    /// Converts the bytes of one `.wibl` file.
    ///
    /// - Parameters:
    ///   - bytes: The file.
    ///   - fileName: Its name, for messages.
    ///   - configuration: Processing configuration (`processing.md` §2).
    ///   - settings: Provider id and trusted-node values (`geojson-b12.md` §2–§5).
    ///   - nowMicroseconds: The current time (lineage timestamps, `nodatareject`).
    ///   - sink: Receives the document in chunks.
    /// - Throws: ``ConversionError``.
    public static func convert(
        _ bytes: ByteBuffer, fileName: String, configuration: ProcessingConfiguration, settings: GeoJSONSettings,
        nowMicroseconds: Int64, to sink: inout some GeoJSONSink
    ) throws(ConversionError) -> ConversionResult {
        // Straight from the bytes: two passes, no list of packets (`processWIBL(bytes:…)`).
        let streamed: StreamedProcessing
        do {
            streamed = try processWIBL(
                bytes: bytes, decoding: DecodingOptions(isStrict: configuration.isStrict), configuration: configuration,
                options: ProcessingOptions(fileName: fileName, nowMicroseconds: nowMicroseconds))
        } catch {
            switch error {
            case .decode(let e): throw .decode(e)
            case .processing(let e): throw .processing(e)
            }
        }
        let processed = streamed.processed
        let summary: GeoJSONSummary
        do {
            summary = try GeoJSONWriter.write(processed, settings: settings, to: &sink)
        } catch {
            throw .output(error)
        }
        return ConversionResult(
            summary: summary, loggerID: processed.loggerName ?? summary.vesselID, decodeProblems: streamed.problems,
            processingWarnings: processed.warnings, leftOut: processed.leftOut)
    }
}
