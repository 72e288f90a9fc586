import B12Validation
import DCDB
import JSONValue
import NIOCore
import WIBLConversion
import WIBLGeoJSON
import WIBLProcessing

/// ``FileConverter`` running exactly the conversion of `wibl convert` (``WIBLConversion``).
public struct WIBLFileConverter: FileConverter {
    public var configuration: ProcessingConfiguration
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

    public func convert(_ bytes: ByteBuffer, fileName: String) throws -> ConversionOutput {
        var sink = MemorySink()
        let result = try WIBLConversion.convert(
            bytes, fileName: fileName, configuration: configuration, settings: settings, nowMicroseconds: now(),
            to: &sink)
        return ConversionOutput(
            geojson: sink.buffer, soundings: result.summary.features, loggerID: result.loggerID,
            vesselID: result.summary.vesselID)
    }
}

extension ConversionError: ClassifiedError {}

/// ``DocumentValidator`` with the B-12 checks of `wibl validate`.
public struct B12DocumentValidator: DocumentValidator {
    /// Creates the validator.
    public init() {}

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
    public var client: DCDBClient
    public var providerID: String
    public var authToken: AuthToken
    public var uploadPoint: String

    /// Creates the submitter.
    public init(client: DCDBClient, providerID: String, authToken: AuthToken, uploadPoint: String) {
        self.client = client
        self.providerID = providerID
        self.authToken = authToken
        self.uploadPoint = uploadPoint
    }

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
