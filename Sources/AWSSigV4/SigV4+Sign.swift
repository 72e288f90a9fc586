/// An S3 request before signing.
public struct SignableRequest: Sendable, Hashable {
    /// `GET`, `PUT`, `HEAD`, `DELETE`, `POST`.
    public var method: String
    /// The `Host` header value exactly as sent, including a non-default port (`127.0.0.1:9000`).
    public var host: String
    /// The request path exactly as sent (already encoded once; cloud.md §1.2).
    public var path: String
    /// The raw query parameters.
    public var query: [QueryParameter]
    /// The headers the caller sends besides `Host`, `X-Amz-Date`, `X-Amz-Content-SHA256`,
    /// `X-Amz-Security-Token` and `Authorization`, which ``SigV4/sign(request:payload:credentials:region:service:date:)`` adds.
    public var headers: [HTTPHeaderField]

    /// Creates a request to sign.
    public init(
        method: String, host: String, path: String, query: [QueryParameter] = [], headers: [HTTPHeaderField] = []
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
    }
}

/// The result of signing: the headers to send, and every intermediate stage for diagnosis.
public struct SignedRequest: Sendable, Hashable {
    /// The complete header set to send: the caller's headers followed by `Host`, `X-Amz-Date`,
    /// `X-Amz-Content-SHA256`, `X-Amz-Security-Token` (temporary credentials only) and `Authorization`.
    public var headers: [HTTPHeaderField]
    /// The canonical request (stage 1).
    public var canonicalRequest: String
    /// The string to sign (stage 2).
    public var stringToSign: String
    /// The signature (stage 4).
    public var signature: String
    /// The `Authorization` header value.
    public var authorization: String
}

extension SigV4 {
    /// Signs an S3 request with header-based SigV4 (all stages in order).
    ///
    /// Adds `Host` (unless the caller set it), `X-Amz-Date`, `X-Amz-Content-SHA256` (S3 requires it
    /// on every request), `X-Amz-Security-Token` when the credentials carry a session token (signed,
    /// as S3 requires; cloud.md §2 item 6), and `Authorization`. Every other header the caller set is
    /// signed too, except the hop-by-hop ones in ``unsignableHeaders``.
    ///
    /// - Parameters:
    ///   - request: The request to sign.
    ///   - payload: The body's hash, or ``PayloadHash/unsigned``.
    ///   - credentials: The key pair (and session token).
    ///   - region: The bucket's region, e.g. `us-east-2`.
    ///   - service: `s3`.
    ///   - date: The signing time; S3 rejects it if more than 15 minutes off (`RequestTimeTooSkewed`).
    /// - Returns: The headers to send and the intermediate stages.
    public static func sign(
        request: SignableRequest, payload: PayloadHash, credentials: AWSCredentials, region: String,
        service: String = "s3", date: AWSTimestamp
    ) -> SignedRequest {
        let amzDate = date.amzDate
        var headers = request.headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            headers.append(HTTPHeaderField("Host", request.host))
        }
        headers.append(HTTPHeaderField("X-Amz-Date", amzDate))
        headers.append(HTTPHeaderField("X-Amz-Content-SHA256", payload.headerValue))
        if let token = credentials.sessionToken {
            headers.append(HTTPHeaderField("X-Amz-Security-Token", token))
        }
        let scope = CredentialScope(dateStamp: date.dateStamp, region: region, service: service)
        let canonical = canonicalRequest(
            method: request.method, canonicalURI: request.path, query: request.query, headers: headers,
            payloadHash: payload)
        let toSign = stringToSign(canonicalRequest: canonical.text, amzDate: amzDate, scope: scope)
        let key = signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        let sig = signature(signingKey: key, stringToSign: toSign)
        let authorization = authorizationHeader(
            accessKeyID: credentials.accessKeyID, scope: scope, signedHeaders: canonical.signedHeaders, signature: sig)
        headers.append(HTTPHeaderField("Authorization", authorization))
        return SignedRequest(
            headers: headers, canonicalRequest: canonical.text, stringToSign: toSign, signature: sig,
            authorization: authorization)
    }
}
