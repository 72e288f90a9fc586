import AsyncHTTPClient
import JSONValue
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// Uploads GeoJSON files to DCDB (`cloud.md` §6, §8.5): one `multipart/form-data` POST per file,
/// with the provider token in `x-auth-token`.
///
/// Success means a 2xx status **and** a JSON object body whose `success` is `true`. A POST is
/// repeated only when it provably never reached DCDB (DNS failure, connection refused, TLS handshake
/// failure); anything that happens after request bytes were sent and is not a clear answer (a time-out,
/// a reset, a 5xx, an unreadable body) is ``DCDBError/Outcome/unknown`` and never retried. Redirects
/// are never followed: the client's own `HTTPClient` is configured with `.disallow`, and a 3xx is
/// ``DCDBError/redirect(status:location:)``. The upload point must be `https://`, or `http://` on
/// a loopback address (tests).
public struct DCDBClient: Sendable {
    /// Retry and time-limit settings.
    public struct Configuration: Sendable {
        /// Total POSTs per file when nothing was sent, the first included (default 3).
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

    /// The process-wide HTTP client for DCDB: never follows redirects, and fails a request at once
    /// when the connection cannot be made (so the error says "nothing was sent").
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(10))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The HTTP client (``sharedHTTPClient``: redirects disallowed).
    let httpClient: HTTPClient
    /// Where the client logs (the token is never logged).
    public var logger: Logger
    /// Retry and time-limit settings.
    public var configuration: Configuration

    /// Creates a client over ``sharedHTTPClient``.
    public init(logger: Logger, configuration: Configuration = Configuration()) {
        self.httpClient = Self.sharedHTTPClient
        self.logger = logger
        self.configuration = configuration
    }

    /// Checks an upload point: an `https://` URL, or `http://` on `localhost`, `127.x.x.x` or `[::1]`.
    ///
    /// - Throws: ``DCDBError/invalidUploadPoint(_:)`` or ``DCDBError/insecureUploadPoint(_:)``.
    public static func validateUploadPoint(_ uploadPoint: String) throws(DCDBError) {
        let lowered = uploadPoint.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
            !uploadPoint.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "\t" })
        else { throw .invalidUploadPoint(uploadPoint) }
        if lowered.hasPrefix("https://") { return }
        let authority = lowered.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@").last.map(String.init) ?? ""
        let host: String
        if hostAndPort.hasPrefix("[") {
            host = String(hostAndPort.prefix { $0 != "]" }.dropFirst())
        } else {
            host = String(hostAndPort.prefix { $0 != ":" })
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let isIPv4Loopback =
            octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
        guard host == "localhost" || host == "::1" || isIPv4Loopback else { throw .insecureUploadPoint(uploadPoint) }
    }

    /// Whether an error of `HTTPClient.execute` proves that no request byte reached the server:
    /// the connection was never made (DNS failure, refused, unreachable, TLS handshake failure, or the
    /// request timed out while still waiting for a connection).
    static func neverSent(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return error == .connectTimeout || error == .getConnectionFromPoolTimeout || error == .tlsHandshakeTimeout
        }
        if error is NIOConnectionError { return true }
        if let error = error as? IOError {
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode)
        }
        let text = String(reflecting: error)
        return text.contains("NIOSSLError") && text.contains("handshakeFailed")
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
    ///   - timeLimit: an overall limit (the invocation's remaining time minus a margin); each attempt
    ///     gets the smaller of this and ``Configuration/timeout``.
    /// - Returns: DCDB's answer.
    /// - Throws: ``DCDBError``; its ``DCDBError/outcome`` says whether DCDB may have the file.
    public func submit(
        geojson: GeoJSONBody, fileName: String, uniqueID: String, providerID: String, authToken: AuthToken,
        uploadPoint: String, timeLimit: Duration? = nil
    ) async throws(DCDBError) -> DCDBReceipt {
        try Self.validateUploadPoint(uploadPoint)
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
        let overall = ContinuousClock.now + (timeLimit ?? configuration.timeout)

        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: uploadPoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: form.contentType)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "x-auth-token", value: authToken.secret)
            request.body = .stream(body, length: .known(Int64(body.length)))
            let limit = min(configuration.timeout, overall - ContinuousClock.now)
            guard limit > .zero else {
                throw .transport(underlying: "no time left before the deadline", attempts: attempt - 1)
            }
            log.debug(
                "posting to DCDB",
                metadata: ["attempt": "\(attempt)", "bytes": "\(body.length)", "url": "\(uploadPoint)"])

            let notSent: DCDBError
            do {
                let response = try await httpClient.execute(
                    request, deadline: .now() + .nanoseconds(limit.nanoseconds), logger: log)
                let status = Int(response.status.code)
                let bytes: ByteBuffer
                do {
                    bytes = try await response.body.collect(upTo: configuration.maximumResponseBytes)
                } catch {
                    log.warning("the DCDB answer broke off", metadata: ["status": "\(status)"])
                    if (200..<300).contains(status) {
                        throw DCDBError.noAnswer(underlying: authToken.redact("HTTP \(status), then \(error)"))
                    }
                    throw DCDBError.httpStatus(status: status, body: "(unreadable: \(error))", attempts: attempt)
                }
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
                case 300..<400:
                    throw DCDBError.redirect(status: status, location: response.headers.first(name: "location"))
                case 401, 403:
                    throw DCDBError.unauthorized(status: status, body: text)
                default:
                    throw DCDBError.httpStatus(status: status, body: text, attempts: attempt)
                }
            } catch let error as DCDBError {
                log.warning("DCDB did not accept the file", metadata: ["error": "\(error)"])
                throw error
            } catch {
                guard Self.neverSent(error) else {
                    if let httpError = error as? HTTPClientError,
                        httpError == .deadlineExceeded || httpError == .readTimeout || httpError == .writeTimeout
                    {
                        log.warning("DCDB did not answer in time", metadata: ["attempt": "\(attempt)"])
                        throw .timedOut(seconds: limit.components.seconds)
                    }
                    log.warning("the connection to DCDB failed after sending", metadata: ["error": "\(error)"])
                    throw .noAnswer(underlying: authToken.redact("\(error)"))
                }
                notSent = .transport(underlying: authToken.redact("\(error)"), attempts: attempt)
            }
            guard attempt < configuration.maximumAttempts, !Task.isCancelled else {
                log.warning("giving up on DCDB", metadata: ["error": "\(notSent)"])
                throw notSent
            }
            let wait = backoff(beforeAttempt: attempt + 1)
            log.notice("retrying DCDB: nothing was sent", metadata: ["after": "\(notSent)", "wait": "\(wait)"])
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
