import AsyncHTTPClient
import JSONValue
import Logging
import NIOCore

/// What DCDB answered to an accepted upload.
public struct DCDBReceipt: Sendable, Hashable {
    /// The HTTP status (2xx).
    public var status: Int
    /// The response body as text (token redacted).
    public var body: String
    /// The parsed response (an object with `success: true`).
    public var response: JSONValue
    /// The unique id that was sent.
    public var uniqueID: String
    /// How many POSTs it took (1 unless a 5xx or a connection error was retried).
    public var attempts: Int
}

/// Uploads GeoJSON files to DCDB (`cloud.md` §6): one `multipart/form-data` POST per file, with the
/// provider token in `x-auth-token`.
///
/// Success means a 2xx status **and** a JSON object body whose `success` is `true`. 5xx answers and
/// connection failures are retried with exponential back-off (``Configuration/maximumAttempts``);
/// 4xx answers and time-outs are not (a timed-out upload may have been received).
public struct DCDBClient: Sendable {
    /// Retry and time-limit settings.
    public struct Configuration: Sendable {
        /// Total POSTs per file, the first included (default 3).
        public var maximumAttempts: Int
        /// Wait before the second attempt; doubled for each further one, plus up to 25 % jitter.
        public var initialBackoff: Duration
        /// Time limit of one attempt, upload and answer included.
        public var timeout: Duration
        /// Largest response body read.
        public var maximumResponseBytes: Int

        /// Creates a configuration.
        public init(
            maximumAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), timeout: Duration = .seconds(120),
            maximumResponseBytes: Int = 1024 * 1024
        ) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.initialBackoff = initialBackoff
            self.timeout = timeout
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    /// The HTTP client (executables pass `HTTPClient.shared`).
    public var httpClient: HTTPClient
    /// Where the client logs (the token is never logged).
    public var logger: Logger
    /// Retry and time-limit settings.
    public var configuration: Configuration

    /// Creates a client.
    public init(httpClient: HTTPClient, logger: Logger, configuration: Configuration = Configuration()) {
        self.httpClient = httpClient
        self.logger = logger
        self.configuration = configuration
    }

    /// Submits one GeoJSON file.
    ///
    /// - Parameters:
    ///   - geojson: the document, in memory or streamed.
    ///   - fileName: the `filename` of the form part (its last path component is used).
    ///   - uniqueID: the vessel's unique id; `PROVIDER-` is prefixed unless already there
    ///     (``DCDBUploadForm/uniqueID(_:providerID:)``).
    ///   - providerID: the trusted node's id, e.g. `UNHJHC`.
    ///   - authToken: the provider token.
    ///   - uploadPoint: the URL to POST to (env `UPLOAD_POINT` in Lambda).
    /// - Returns: DCDB's answer.
    /// - Throws: ``DCDBError``: `refused`, `unauthorized`, `notJSON`, `httpStatus`, `transport`,
    ///   `timedOut`, `invalidUploadPoint`, `invalidProviderID`.
    public func submit(
        geojson: GeoJSONBody, fileName: String, uniqueID: String, providerID: String, authToken: AuthToken,
        uploadPoint: String
    ) async throws(DCDBError) -> DCDBReceipt {
        let lowered = uploadPoint.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
            !uploadPoint.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "\t" })
        else { throw .invalidUploadPoint(uploadPoint) }
        guard !providerID.isEmpty,
            providerID.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            })
        else { throw .invalidProviderID(providerID) }

        let form = DCDBUploadForm(
            fileName: fileName, uniqueID: DCDBUploadForm.uniqueID(uniqueID, providerID: providerID))
        let body = MultipartBodySequence(
            preamble: ByteBuffer(bytes: form.preamble()), epilogue: ByteBuffer(bytes: form.epilogue()), file: geojson)
        var log = logger
        log[metadataKey: "file"] = "\(form.fileName)"
        log[metadataKey: "uniqueID"] = "\(form.uniqueID)"

        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: uploadPoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: form.contentType)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "x-auth-token", value: authToken.secret)
            request.body = .stream(body, length: .known(Int64(body.length)))
            log.debug(
                "posting to DCDB",
                metadata: ["attempt": "\(attempt)", "bytes": "\(body.length)", "url": "\(uploadPoint)"])

            let retryable: DCDBError
            do {
                let response = try await httpClient.execute(
                    request, timeout: .nanoseconds(configuration.timeout.nanoseconds), logger: log)
                let bytes = try await response.body.collect(upTo: configuration.maximumResponseBytes)
                let status = Int(response.status.code)
                let text = authToken.redact(String(buffer: bytes))
                log.debug("DCDB answered", metadata: ["status": "\(status)", "body": "\(text)"])
                switch status {
                case 200..<300:
                    guard let json = try? JSONValue.parse(bytes.readableBytesView), json.objectValue != nil else {
                        throw DCDBError.notJSON(status: status, body: text)
                    }
                    guard json["success"]?.boolValue == true else {
                        throw DCDBError.refused(status: status, body: text)
                    }
                    log.info("DCDB accepted the file", metadata: ["status": "\(status)"])
                    return DCDBReceipt(
                        status: status, body: text, response: json, uniqueID: form.uniqueID, attempts: attempt)
                case 401, 403:
                    throw DCDBError.unauthorized(status: status, body: text)
                case 500..<600:
                    retryable = .httpStatus(status: status, body: text, attempts: attempt)
                default:
                    throw DCDBError.httpStatus(status: status, body: text, attempts: attempt)
                }
            } catch let error as DCDBError {
                log.warning("DCDB did not accept the file", metadata: ["error": "\(error)"])
                throw error
            } catch {
                if let httpError = error as? HTTPClientError,
                    httpError == .deadlineExceeded || httpError == .readTimeout || httpError == .writeTimeout
                {
                    log.warning("DCDB did not answer in time", metadata: ["attempt": "\(attempt)"])
                    throw .timedOut(seconds: configuration.timeout.components.seconds)
                }
                retryable = .transport(underlying: authToken.redact("\(error)"), attempts: attempt)
            }
            guard attempt < configuration.maximumAttempts, !Task.isCancelled else {
                log.warning("giving up on DCDB", metadata: ["error": "\(retryable)"])
                throw retryable
            }
            let wait = backoff(beforeAttempt: attempt + 1)
            log.notice("retrying DCDB", metadata: ["after": "\(retryable)", "wait": "\(wait)"])
            try? await Task.sleep(for: wait)
        }
    }

    /// `initialBackoff × 2^(attempt−2)` plus up to 25 % random jitter.
    func backoff(beforeAttempt attempt: Int) -> Duration {
        let base = configuration.initialBackoff * (1 << max(0, min(attempt - 2, 10)))
        let jitter = Double.random(in: 0...0.25)
        return base + base * jitter
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
