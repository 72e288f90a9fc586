import AsyncHTTPClient
import DCDB
import Logging
import NIOCore
import S3
import WIBLConversion
import WIBLGeoJSON
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

/// Builds the `process` or `submit` handler from the environment (issue #5):
/// `STAGING_BUCKET` (or `DEST_BUCKET`), `PROVIDER_ID`, `PROVIDER_AUTH`, `UPLOAD_POINT`,
/// `WIBL_CONFIG_FILE`, and the AWS variables (credentials, region, `AWS_ENDPOINT_URL[_S3]`).
public enum PipelineFactory {
    /// The handler named by `name` (`process` or `submit`; a `file.process`-style prefix is ignored).
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
        let providerID = try required("PROVIDER_ID")
        do {
            try ProcessingConfiguration.checkProviderID(providerID, source: "the environment variable PROVIDER_ID")
        } catch {
            throw CloudConfigurationError(error.description)
        }
        let store = S3ObjectStore(
            client: try makeS3Client(environment: environment, httpClient: httpClient, logger: logger))
        switch handlerName {
        case "process":
            let stagingBucket = try required("STAGING_BUCKET", "DEST_BUCKET")
            let (configuration, settings): (ProcessingConfiguration, GeoJSONSettings)
            do {
                (configuration, settings) = try ConfigurationLoader.settings(
                    configPath: environment["WIBL_CONFIG_FILE"], providerID: providerID)
            } catch {
                throw CloudConfigurationError(error.description)
            }
            let handler = ProcessingHandler(
                store: store, converter: WIBLFileConverter(configuration: configuration, settings: settings, now: now),
                stagingBucket: stagingBucket)
            return pipelineHandler(handler)
        case "submit":
            let uploadPoint = try required("UPLOAD_POINT")
            let token: AuthToken
            do {
                // from the environment, or from SSM via resolvingProviderAuth(environment:httpClient:logger:)
                token = try AuthToken(environment["PROVIDER_AUTH"] ?? "", source: "PROVIDER_AUTH")
            } catch {
                throw CloudConfigurationError(
                    "the DCDB token is missing: set PROVIDER_AUTH, or PROVIDER_AUTH_PARAMETER to an SSM parameter")
            }
            let submitter = DCDBSubmitter(
                client: DCDBClient(httpClient: httpClient, logger: logger), providerID: providerID, authToken: token,
                uploadPoint: uploadPoint)
            let handler = SubmissionHandler(store: store, submitter: submitter, validator: B12DocumentValidator())
            return pipelineHandler(handler)
        default:
            throw CloudConfigurationError(
                "the handler '\(name ?? "")' is neither 'process' nor 'submit' (set _HANDLER)")
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
