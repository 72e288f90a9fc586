import B12Validation
import DCDB
import JSONValue
import NIOCore
import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing

/// ``FileConverter`` running exactly the conversion of `wibl convert` (``WIBLConversion``).
public struct WIBLFileConverter: FileConverter {
    /// The processing configuration (`processing.md` §2).
    public var configuration: ProcessingConfiguration
    /// What the trusted node puts into every document.
    public var settings: GeoJSONSettings
    /// The current time, microseconds since the epoch.
    public var now: @Sendable () -> Int64

    /// Creates the converter.
    public init(configuration: ProcessingConfiguration, settings: GeoJSONSettings, now: @escaping @Sendable () -> Int64)
    {
        self.configuration = configuration
        self.settings = settings
        self.now = now
    }

    /// Converts in memory with ``WIBLConversion`` and returns the document with its summary.
    public func convert(_ bytes: ByteBuffer, fileName: String) throws -> ConversionOutput {
        var sink = MemorySink()
        let result = try WIBLConversion.convert(
            bytes, fileName: fileName, configuration: configuration, settings: settings, nowMicroseconds: now(),
            to: &sink)
        var output = ConversionOutput(
            geojson: sink.buffer, soundings: result.summary.features, loggerID: result.loggerID,
            vesselID: result.summary.vesselID)
        for (reason, count) in result.leftOut.entries { output.leftOut[reason.rawValue] = count }
        return output
    }
}

extension ConversionError: ClassifiedError {}

/// ``DocumentValidator`` with the B-12 checks of `wibl validate`.
public struct B12DocumentValidator: DocumentValidator {
    /// Creates the validator.
    public init() {}

    /// Parses the document and runs the B-12 checks; a document that is not JSON is one problem.
    public func problems(in geojson: ByteBuffer) -> [String] {
        do {
            return B12Validator.check(try JSONValue.parse(geojson.readableBytesView)).map(\.description)
        } catch {
            return ["the document is not JSON: \(error)"]
        }
    }
}

/// ``Submitter`` over the DCDB client: one POST per call (the client retries only 5xx and
/// connection failures, never after DCDB answered).
public struct DCDBSubmitter: Submitter {
    /// The DCDB client.
    public var client: DCDBClient
    /// The trusted node's provider id, e.g. `UNHJHC`.
    public var providerID: String
    /// The provider token (`PROVIDER_AUTH`).
    public var authToken: AuthToken
    /// The URL to POST to (`UPLOAD_POINT`).
    public var uploadPoint: String

    /// Creates the submitter.
    public init(client: DCDBClient, providerID: String, authToken: AuthToken, uploadPoint: String) {
        self.client = client
        self.providerID = providerID
        self.authToken = authToken
        self.uploadPoint = uploadPoint
    }

    /// POSTs the document once; the receipt is DCDB's submission id or message when its answer has one,
    /// `true` otherwise.
    public func submit(_ geojson: ByteBuffer, fileName: String, uniqueID: String) async throws -> SubmissionReceipt {
        let receipt = try await client.submit(
            geojson: .bytes(geojson), fileName: fileName, uniqueID: uniqueID, providerID: providerID,
            authToken: authToken, uploadPoint: uploadPoint)
        // DCDB's success body is not publicly specified: keep an id-like member if there is one.
        for key in ["submissionId", "submissionID", "id", "message"] {
            if let value = receipt.response[key] {
                return SubmissionReceipt(summary: value.stringValue ?? value.serialized())
            }
        }
        return SubmissionReceipt(summary: "true")
    }
}

extension DCDBError: ClassifiedError {}
