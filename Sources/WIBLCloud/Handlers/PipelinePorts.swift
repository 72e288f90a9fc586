import Logging
import NIOCore

/// One S3 object tag.
public struct ObjectTag: Sendable, Hashable {
    /// The tag key.
    public var key: String
    /// The tag value.
    public var value: String

    /// Creates a tag.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// The object-store operations the handlers need (implemented over ``S3Client`` in production and
/// in memory for the decision-logic tests).
public protocol ObjectStore: Sendable {
    /// The whole object.
    func get(_ object: ObjectReference) async throws -> ByteBuffer
    /// Writes a complete object with its tags in one request (never a partial object).
    func put(_ body: ByteBuffer, to object: ObjectReference, contentType: String, tags: [ObjectTag]) async throws
    /// The object's tag set.
    func tags(of object: ObjectReference) async throws -> [ObjectTag]
    /// Replaces the object's tag set.
    func setTags(_ tags: [ObjectTag], on object: ObjectReference) async throws
}

/// What a converted file gives the processing handler.
public struct ConversionOutput: Sendable {
    /// The complete GeoJSON document.
    public var geojson: ByteBuffer
    /// Number of features written.
    public var soundings: Int
    /// The logger's unique id as stored in the file (Metadata packet or JSON metadata).
    public var loggerID: String
    /// `trustedNode.uniqueVesselID` as written (provider-prefixed).
    public var vesselID: String
    /// Soundings accurate mode left out, per reason (`no-data`, `no-position` …); empty in
    /// reference mode.
    public var leftOut: [String: Int] = [:]

    /// Creates an output value.
    public init(geojson: ByteBuffer, soundings: Int, loggerID: String, vesselID: String) {
        self.geojson = geojson
        self.soundings = soundings
        self.loggerID = loggerID
        self.vesselID = vesselID
    }
}

/// Converts one `.wibl` file to GeoJSON exactly as `wibl convert` does.
public protocol FileConverter: Sendable {
    /// Converts the bytes of one file; `fileName` is used in messages and lineage.
    func convert(_ bytes: ByteBuffer, fileName: String) throws -> ConversionOutput
}

/// The answer of DCDB to an accepted upload.
public struct SubmissionReceipt: Sendable, Hashable {
    /// A short, tag-safe summary of DCDB's answer (e.g. its submission id), kept on the object.
    public var summary: String

    /// Creates a receipt.
    public init(summary: String) { self.summary = summary }
}

/// Uploads a GeoJSON document to DCDB (one POST per call).
public protocol Submitter: Sendable {
    /// Submits `geojson` for the vessel `uniqueID`; throws when DCDB refuses or cannot be reached.
    func submit(_ geojson: ByteBuffer, fileName: String, uniqueID: String) async throws -> SubmissionReceipt
}

/// Checks a GeoJSON document before submission; returns the problems (empty = valid).
public protocol DocumentValidator: Sendable {
    /// The B-12 problems of the document, as sentences.
    func problems(in geojson: ByteBuffer) -> [String]
}

/// A handler that turns one invocation's event into a summary: ``ProcessingHandler`` and
/// ``SubmissionHandler``.
public protocol RecordHandler: Sendable {
    /// Handles one invocation.
    func handle(event: ByteBuffer, remainingTime: @Sendable () -> Duration, logger: Logger) async throws
        -> HandlerSummary
}
