import AWSSigV4
import AsyncHTTPClient
import JSONValue
import NIOCore

/// A client for AWS Systems Manager Parameter Store over the AWS JSON 1.1 protocol (cloud.md §8.4):
/// `POST /` with `X-Amz-Target: AmazonSSM.<Operation>`, a JSON body, and a SigV4 signature for the
/// service `ssm` made by our own signer.
///
/// Why Parameter Store and not Secrets Manager for the DCDB token: both speak the same signed JSON
/// protocol and both can be limited to one resource in IAM, but a standard `SecureString` parameter is
/// free while a secret costs $0.40 a month, and the token needs neither rotation nor cross-account
/// sharing. With the AWS-managed `aws/ssm` key the reader needs no KMS grant.
///
/// Values never appear in an error or a description: ``SSMParameter`` prints `<redacted>` and every
/// error carries AWS's error type and message, the parameter name and the HTTP status only.
public struct ParameterStoreClient: Sendable {
    /// The HTTP client (shared; not shut down by this type).
    public var httpClient: HTTPClient
    /// Credentials for each request (the execution role's in Lambda).
    public var credentials: @Sendable () async throws -> AWSCredentials
    /// The region signed for and addressed, e.g. `us-east-2`.
    public var region: String
    /// Where requests go: `https://ssm.<region>.amazonaws.com`, or a test server.
    public var endpoint: ParameterStoreEndpoint
    /// The deadline of one request.
    public var timeout: TimeAmount

    /// Creates a client.
    public init(
        httpClient: HTTPClient, credentials: @escaping @Sendable () async throws -> AWSCredentials, region: String,
        endpoint: ParameterStoreEndpoint, timeout: TimeAmount = .seconds(10)
    ) {
        self.httpClient = httpClient
        self.credentials = credentials
        self.region = region
        self.endpoint = endpoint
        self.timeout = timeout
    }

    /// Reads one parameter (`AmazonSSM.GetParameter`); a `SecureString` is decrypted when
    /// `withDecryption` is set.
    ///
    /// - Throws: ``ParameterStoreError``; a missing parameter is `.service` with type `ParameterNotFound`.
    public func getParameter(name: String, withDecryption: Bool = true) async throws(ParameterStoreError)
        -> SSMParameter
    {
        let request = JSONValue.object(["Name": .string(name), "WithDecryption": .bool(withDecryption)])
        let answer = try await call(operation: "GetParameter", name: name, body: request)
        guard let parameter = answer["Parameter"], let value = parameter["Value"]?.stringValue else {
            throw .malformedResponse(operation: "GetParameter", name: name, reason: "no Parameter.Value in the answer")
        }
        return SSMParameter(
            name: parameter["Name"]?.stringValue ?? name, type: parameter["Type"]?.stringValue ?? "",
            version: parameter["Version"]?.integerValue, value: value)
    }

    /// Stores a parameter (`AmazonSSM.PutParameter`, type `SecureString` by default); returns its new
    /// version. Used by tests and tools; `deploy.sh` stores the token with the AWS CLI.
    ///
    /// - Throws: ``ParameterStoreError``; an existing parameter without `overwrite` is `.service` with
    ///   type `ParameterAlreadyExists`.
    @discardableResult
    public func putParameter(name: String, value: String, type: String = "SecureString", overwrite: Bool = false)
        async throws(ParameterStoreError) -> Int64?
    {
        let request = JSONValue.object([
            "Name": .string(name), "Value": .string(value), "Type": .string(type), "Overwrite": .bool(overwrite),
        ])
        do {
            return try await call(operation: "PutParameter", name: name, body: request)["Version"]?.integerValue
        } catch {
            throw error.redacting(value)
        }
    }

    /// One signed JSON 1.1 call; the parsed answer of a 2xx, else a typed error.
    func call(operation: String, name: String, body: JSONValue) async throws(ParameterStoreError) -> JSONValue {
        let bytes = body.serializedBytes()
        let signingCredentials: AWSCredentials
        do {
            signingCredentials = try await credentials()
        } catch {
            throw .credentials(reason: "\(error)")
        }
        let signed = SigV4.sign(
            request: SignableRequest(
                method: "POST", host: endpoint.hostHeader, path: "/",
                headers: [
                    HTTPHeaderField("Content-Type", "application/x-amz-json-1.1"),
                    HTTPHeaderField("X-Amz-Target", "AmazonSSM.\(operation)"),
                ]),
            payload: .of(bytes), credentials: signingCredentials, region: region, service: "ssm", date: .now())
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        for header in signed.headers where header.name.lowercased() != "host" {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: bytes))

        let status: Int
        let answer: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            status = Int(response.status.code)
            answer = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw .transport(operation: operation, name: name, reason: "\(error)")
        }
        let json = try? JSONValue.parse(answer.readableBytesView)
        guard (200..<300).contains(status) else {
            // {"__type": "ParameterNotFound", "message": "..."}; the type may carry a namespace prefix
            let rawType = json?["__type"]?.stringValue ?? ""
            let type = rawType.split(separator: "#").last.map(String.init) ?? rawType
            let message = json?["message"]?.stringValue ?? json?["Message"]?.stringValue ?? ""
            throw .service(operation: operation, name: name, status: status, type: type, message: message)
        }
        guard let json else {
            throw .malformedResponse(operation: operation, name: name, reason: "the answer is not JSON")
        }
        return json
    }
}

/// Where the Parameter Store requests go.
public struct ParameterStoreEndpoint: Sendable, Hashable {
    /// `http` or `https`.
    public var scheme: String
    /// The `Host` header: the host and, when not the default, the port.
    public var hostHeader: String

    /// The URL of the service root.
    public var url: String { "\(scheme)://\(hostHeader)/" }

    /// Parses `scheme://host[:port][/]`.
    ///
    /// - Throws: ``ParameterStoreError/invalidEndpoint(_:)`` for anything else (a path, a query, no host).
    public init(url: String) throws(ParameterStoreError) {
        let parts = url.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "http" || parts[0] == "https" else { throw .invalidEndpoint(url) }
        var host = Substring(parts[1])
        if host.hasSuffix("/") { host = host.dropLast() }
        guard !host.isEmpty, !host.contains("/"), !host.contains("?"), !host.contains("@") else {
            throw .invalidEndpoint(url)
        }
        scheme = String(parts[0])
        hostHeader = String(host)
    }

    /// The endpoint for `region`: `AWS_ENDPOINT_URL_SSM`, else `AWS_ENDPOINT_URL`, else
    /// `https://ssm.<region>.amazonaws.com` (cloud.md §8.4).
    public static func resolve(region: String, environment: [String: String]) throws(ParameterStoreError)
        -> ParameterStoreEndpoint
    {
        for key in ["AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL"] {
            if let value = environment[key], !value.isEmpty { return try ParameterStoreEndpoint(url: value) }
        }
        return try ParameterStoreEndpoint(url: "https://ssm.\(region).amazonaws.com")
    }
}

/// A parameter as read; its value is never printed.
public struct SSMParameter: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The full name, e.g. `/wibl/provider-auth`.
    public var name: String
    /// `String`, `StringList` or `SecureString`.
    public var type: String
    /// The version, when AWS says.
    public var version: Int64?
    /// The (decrypted) value.
    public var value: String

    /// Creates a parameter.
    public init(name: String, type: String, version: Int64?, value: String) {
        self.name = name
        self.type = type
        self.version = version
        self.value = value
    }

    /// The name, type and version; the value as `<redacted>`.
    public var description: String { "\(name) (\(type), version \(version.map(String.init) ?? "?")): <redacted>" }
    /// As ``description``.
    public var debugDescription: String { description }
    /// A mirror without the value, so that `dump` shows nothing secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "type": type, "version": version as Any], displayStyle: .struct)
    }
}

/// Why a Parameter Store call failed. No case ever holds a parameter's value.
public enum ParameterStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The endpoint URL is not `http(s)://host[:port]`.
    case invalidEndpoint(String)
    /// No credentials to sign with.
    case credentials(reason: String)
    /// The request did not complete (connection, TLS, timeout).
    case transport(operation: String, name: String, reason: String)
    /// AWS answered with an error: `type` is e.g. `ParameterNotFound`, `AccessDeniedException`.
    case service(operation: String, name: String, status: Int, type: String, message: String)
    /// A 2xx answer that is not what the operation returns.
    case malformedResponse(operation: String, name: String, reason: String)

    /// One line for a person.
    public var description: String {
        switch self {
        case .invalidEndpoint(let url):
            return "the SSM endpoint '\(url)' is not an http(s)://host[:port] URL"
        case .credentials(let reason):
            return "no AWS credentials to read SSM parameters with: \(reason)"
        case .transport(let operation, let name, let reason):
            return "SSM \(operation) of \(name) failed: \(reason)"
        case .service(let operation, let name, let status, let type, let message):
            return "SSM \(operation) of \(name): HTTP \(status) \(type)\(message.isEmpty ? "" : ": \(message)")"
        case .malformedResponse(let operation, let name, let reason):
            return "SSM \(operation) of \(name): unexpected answer: \(reason)"
        }
    }

    /// The error class for summaries and logs: the AWS error type, or what went wrong.
    public var errorClass: String {
        switch self {
        case .invalidEndpoint: "InvalidEndpoint"
        case .credentials: "NoCredentials"
        case .transport: "Transport"
        case .service(_, _, _, let type, _): type.isEmpty ? "ServiceError" : type
        case .malformedResponse: "MalformedResponse"
        }
    }

    /// The same error with every occurrence of `secret` in its texts replaced by `<redacted>`.
    func redacting(_ secret: String) -> ParameterStoreError {
        func clean(_ text: String) -> String {
            guard !secret.isEmpty else { return text }
            return text.split(separator: secret, omittingEmptySubsequences: false).joined(separator: "<redacted>")
        }
        switch self {
        case .invalidEndpoint, .credentials: return self
        case .transport(let operation, let name, let reason):
            return .transport(operation: operation, name: name, reason: clean(reason))
        case .service(let operation, let name, let status, let type, let message):
            return .service(operation: operation, name: name, status: status, type: type, message: clean(message))
        case .malformedResponse(let operation, let name, let reason):
            return .malformedResponse(operation: operation, name: name, reason: clean(reason))
        }
    }
}
