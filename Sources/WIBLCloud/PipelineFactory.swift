import AsyncHTTPClient
import DCDB
import Logging
import NIOCore
import S3
import WIBLConversion
import WIBLGeoJSON
import WIBLLedger
import WIBLProcessing
import WIBLSystem

/// A required setting of the Lambda environment is missing or wrong: an initialisation error,
/// reported to `/runtime/init/error` before the first invocation.
public struct CloudConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is missing or wrong, naming the variable.
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
    /// The handler named by `name` (`process`, `submit` or `reconcile`; a `file.process`-style prefix
    /// is ignored).
    ///
    /// - Throws: ``CloudConfigurationError`` naming the missing or bad variable.
    public static func makeHandler(
        name: String?, environment: [String: String], httpClient: HTTPClient, logger: Logger,
        now: @escaping @Sendable () -> Int64 = SystemClock.wallMicroseconds
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
        do {
            try ProcessingConfiguration.checkProviderID(providerID, source: "the environment variable PROVIDER_ID")
        } catch {
            throw CloudConfigurationError(error.description)
        }
        let stagingBucket = try required("STAGING_BUCKET", "DEST_BUCKET")
        let margin = Duration.milliseconds(try number("WIBL_SAFETY_MARGIN_MS", default: 10_000))
        let s3 = try makeS3Client(environment: environment, httpClient: httpClient, logger: logger)
        var store = S3ObjectStore(client: s3)
        let maximumBytes = try number("MAX_OBJECT_BYTES", default: ProcessingHandler.defaultMaximumObjectBytes)
        store.maximumObjectBytes = Int(clamping: maximumBytes)
        let ledger = Ledger(storage: S3LedgerStorage(client: s3, bucket: stagingBucket), clock: now)

        func processing() throws -> ProcessingHandler {
            let (configuration, settings): (ProcessingConfiguration, GeoJSONSettings)
            do {
                (configuration, settings) = try ConfigurationLoader.settings(
                    configPath: environment["WIBL_CONFIG_FILE"], providerID: providerID)
            } catch {
                throw CloudConfigurationError(error.description)
            }
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
                // from the environment, or from SSM via resolvingProviderAuth(environment:httpClient:logger:)
                token = try AuthToken(environment["PROVIDER_AUTH"] ?? "", source: "PROVIDER_AUTH")
            } catch {
                throw CloudConfigurationError(
                    "the DCDB token is missing: set PROVIDER_AUTH, or PROVIDER_AUTH_PARAMETER to an SSM parameter")
            }
            // DCDB gets its own HTTP client, which never follows redirects.
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
            endpoint: endpoint, logger: logger, operationTimeout: s3OperationTimeout)
    }

    /// The deadline of each S3 operation in the Lambda, retries included: well inside the function's
    /// own timeout (`WIBL_LAMBDA_TIMEOUT`, 90 s, in `AWS-setup/configuration.sh`), so that an S3 endpoint that stopped
    /// answering fails one record instead of the whole invocation.
    public static let s3OperationTimeout: Duration = .seconds(30)
}
