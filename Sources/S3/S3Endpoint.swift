/// Where S3 requests go. Requests are always path-style (`<endpoint>/<bucket>/<key>`; cloud.md §1.1).
public struct S3Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// Host name or IP address (an IPv6 address keeps its brackets).
    public var host: String
    /// The port, when the URL names one.
    public var port: Int?
    /// A path prefix before the bucket (usually empty; never ends with `/`).
    public var basePath: String

    /// Parses `http(s)://host[:port][/path]`, as in `AWS_ENDPOINT_URL_S3`.
    ///
    /// - Throws: ``AWSConfigurationError/invalidEndpoint(url:reason:)``.
    public init(url: String) throws(AWSConfigurationError) {
        let schemeEnd: String.Index
        if url.hasPrefix("https://") {
            scheme = "https"
            schemeEnd = url.index(url.startIndex, offsetBy: 8)
        } else if url.hasPrefix("http://") {
            scheme = "http"
            schemeEnd = url.index(url.startIndex, offsetBy: 7)
        } else {
            throw .invalidEndpoint(url: url, reason: "the scheme must be http:// or https://")
        }
        let rest = url[schemeEnd...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else {
            throw .invalidEndpoint(url: url, reason: "user information in the URL is not supported")
        }
        var hostPart = authority
        var portNumber: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            hostPart = authority[..<colon]
            let digits = authority[authority.index(after: colon)...]
            guard let value = Int(digits), (1...65535).contains(value) else {
                throw .invalidEndpoint(url: url, reason: "the port '\(digits)' is not a number from 1 to 65535")
            }
            portNumber = value
        }
        guard !hostPart.isEmpty else { throw .invalidEndpoint(url: url, reason: "no host") }
        host = String(hostPart)
        port = portNumber
        var path = String(rest[authorityEnd...])
        guard !path.contains("?"), !path.contains("#") else {
            throw .invalidEndpoint(url: url, reason: "a query or fragment is not allowed")
        }
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }

    /// Creates an endpoint from its parts.
    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// The AWS endpoint of a region: `https://s3.<region>.amazonaws.com`.
    public static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com")
    }

    /// Whether requests are encrypted (TLS).
    public var isSecure: Bool { scheme == "https" }

    /// The `Host` header: the host plus any non-default port, exactly as signed (cloud.md §1.1).
    public var hostHeader: String {
        guard let port, port != (isSecure ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// `scheme://host[:port]` followed by the base path.
    public var description: String { "\(scheme)://\(hostHeader)\(basePath)" }
}
