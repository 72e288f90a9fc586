import AsyncHTTPClient
import DCDB
import Logging
import NIOCore
import S3
import WIBLGeoJSON
import WIBLLedger
import WIBLProcessing

#if canImport(Glibc)
    import Glibc
#endif

/// A required setting of the Lambda environment is missing or wrong: an initialisation error,
/// reported to `/runtime/init/error` before the first invocation.
public struct CloudConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// A ready handler: event bytes, remaining time and logger in, summary JSON out.
public typealias PipelineHandler =
    @Sendable (ByteBuffer, @escaping @Sendable () -> Duration, Logger) async throws -> ByteBuffer

/// Builds the `process`, `submit` or `reconcile` handler from the environment (issues #5, #10):
/// `STAGING_BUCKET` (or `DEST_BUCKET`), `INCOMING_BUCKET` (reconcile), `PROVIDER_ID`, `PROVIDER_AUTH`,
/// `UPLOAD_POINT` (https://, or http:// on loopback), `WIBL_CONFIG_FILE`, `MAX_OBJECT_BYTES` (default
/// 64 MiB), `WIBL_SAFETY_MARGIN_MS` (default 10000), and the AWS variables (credentials, region,
/// `AWS_ENDPOINT_URL[_S3]`). The ledger lives under `wibl-ledger/` in the staging bucket.
public enum PipelineFactory {
    /// The handler named by `name` (`process`, `submit` or `reconcile`; a `file.process`-style prefix is ignored).
    ///
    /// - Throws: ``CloudConfigurationError`` naming the missing or bad variable.
    public static func makeHandler(
        name: String?, environment: [String: String], httpClient: HTTPClient, logger: Logger,
        now: @escaping @Sendable () -> Int64 = currentMicroseconds
    ) throws -> PipelineHandler {
        let handlerName = (name ?? "").split(separator: ".").last.map(String.init) ?? ""
        func required(_ key: String, _ alternative: String? = nil) throws -> String {
            if let value = environment[key], !value.isEmpty { return value }
            if let alternative, let value = environment[alternative], !value.isEmpty { return value }
            throw CloudConfigurationError(
                "the environment variable \(key)\(alternative.map { " (or \($0))" } ?? "") is not set")
        }
        func number(_ key: String, default value: Int64) throws -> Int64 {
            guard let text = environment[key], !text.isEmpty else { return value }
            guard let parsed = Int64(text), parsed > 0 else {
                throw CloudConfigurationError(
                    "the environment variable \(key) must be a positive whole number, not '\(text)'")
            }
            return parsed
        }
        guard ["process", "submit", "reconcile"].contains(handlerName) else {
            throw CloudConfigurationError(
                "the handler '\(name ?? "")' is not 'process', 'submit' or 'reconcile' (set _HANDLER)")
        }
        let providerID = try required("PROVIDER_ID")
        let stagingBucket = try required("STAGING_BUCKET", "DEST_BUCKET")
        let margin = Duration.milliseconds(try number("WIBL_SAFETY_MARGIN_MS", default: 10_000))
        let s3 = try makeS3Client(environment: environment, httpClient: httpClient, logger: logger)
        var store = S3ObjectStore(client: s3)
        let maximumBytes = try number("MAX_OBJECT_BYTES", default: ProcessingHandler.defaultMaximumObjectBytes)
        store.maximumObjectBytes = Int(clamping: maximumBytes)
        let ledger = Ledger(storage: S3LedgerStorage(client: s3, bucket: stagingBucket), clock: now)

        func processing() throws -> ProcessingHandler {
            var configuration = try loadConfiguration(environment["WIBL_CONFIG_FILE"])
            configuration.providerID = providerID
            let settings = GeoJSONSettings(providerID: providerID, configuration: configuration)
            return ProcessingHandler(
                store: store, converter: WIBLFileConverter(configuration: configuration, settings: settings, now: now),
                stagingBucket: stagingBucket, ledger: ledger, safetyMargin: margin, maximumObjectBytes: maximumBytes)
        }
        func submission() throws -> SubmissionHandler {
            let uploadPoint = try required("UPLOAD_POINT")
            do {
                try DCDBClient.validateUploadPoint(uploadPoint)
            } catch {
                throw CloudConfigurationError("UPLOAD_POINT: \(error)")
            }
            let token: AuthToken
            do {
                token = try AuthToken.fromEnvironment("PROVIDER_AUTH")
            } catch {
                throw CloudConfigurationError("the environment variable PROVIDER_AUTH is not set or empty")
            }
            let submitter = DCDBSubmitter(
                client: DCDBClient(logger: logger), providerID: providerID, authToken: token, uploadPoint: uploadPoint)
            return SubmissionHandler(
                store: store, submitter: submitter, validator: B12DocumentValidator(), ledger: ledger,
                safetyMargin: margin, now: now)
        }
        switch handlerName {
        case "process":
            return pipelineHandler(try processing())
        case "submit":
            return pipelineHandler(try submission())
        default:
            let incoming = try required("INCOMING_BUCKET")
            let submit = environment["UPLOAD_POINT"].map { !$0.isEmpty } == true ? try submission() : nil
            return pipelineHandler(
                ReconcileHandler(processing: try processing(), submission: submit, incomingBucket: incoming, now: now))
        }
    }

    /// Adapts a record handler to event bytes in, summary JSON bytes out.
    static func pipelineHandler(_ handler: some RecordHandler) -> PipelineHandler {
        { event, remaining, logger in
            let summary = try await handler.handle(event: event, remainingTime: remaining, logger: logger)
            return ByteBuffer(bytes: summary.json.serializedBytes())
        }
    }

    /// An S3 client from the AWS environment variables (the execution role's credentials in Lambda).
    public static func makeS3Client(environment: [String: String], httpClient: HTTPClient, logger: Logger) throws
        -> S3Client
    {
        let resolver = AWSConfigurationResolver(environment: environment)
        let region = try resolver.region()
        let endpoint = try resolver.endpoint(region: region)
        return S3Client(
            httpClient: httpClient, credentialsProvider: DefaultCredentialsChain(resolver: resolver), region: region,
            endpoint: endpoint, logger: logger)
    }

    /// The configuration file at `path` (`--config` or `WIBL_CONFIG_FILE`), else the built-in
    /// default; shared by the Lambda and the command line.
    ///
    /// - Throws: ``CloudConfigurationError`` naming the file and, for a bad value, the key.
    public static func loadConfiguration(_ path: String?) throws -> ProcessingConfiguration {
        guard let path, !path.isEmpty else {
            return try ProcessingConfiguration(json: Array(ProcessingConfiguration.embeddedDefaultJSON.utf8))
        }
        let bytes: ByteBuffer
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw CloudConfigurationError("cannot read the configuration: \(error)")
        }
        do {
            return try ProcessingConfiguration(json: bytes.readableBytesView)
        } catch {
            throw CloudConfigurationError("\(path): \(error)")
        }
    }
}

/// Now, in microseconds since the epoch (UTC).
@Sendable public func currentMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
}

/// The process environment as a dictionary.
public func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}

/// A file-system error with the path and the system's reason.
public struct FileReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32

    public var description: String { "cannot read '\(path)': \(String(cString: strerror(code)))." }
}

/// Reads a whole file (POSIX; no Foundation, so the Lambda bootstrap stays lean).
public func readWholeFile(_ path: String) throws -> ByteBuffer {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileReadError(path: path, code: errno) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileReadError(path: path, code: errno) }
    guard (info.st_mode & S_IFMT) != S_IFDIR else { throw FileReadError(path: path, code: EISDIR) }
    var buffer = ByteBuffer()
    buffer.reserveCapacity(Int(info.st_size))
    while true {
        var failure: Int32 = 0
        let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 << 16) { raw -> Int in
            let n = read(fd, raw.baseAddress, raw.count)
            if n < 0 { failure = errno }
            return max(0, n)
        }
        if failure == EINTR { continue }
        if failure != 0 { throw FileReadError(path: path, code: failure) }
        if count == 0 { break }
    }
    return buffer
}
