/// The typed headers of one next-invocation reply (`cloud.md` §5), parsed once.
public struct InvocationMetadata: Sendable, Hashable {
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: Unix epoch milliseconds at which Lambda stops the invocation.
    public var deadlineMilliseconds: Int64
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    public var invokedFunctionARN: String
    /// `Lambda-Runtime-Trace-Id` (X-Ray), or `nil` when absent.
    public var traceID: String?
    /// `Lambda-Runtime-Client-Context` (mobile SDK only).
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity` (mobile SDK only).
    public var cognitoIdentity: String?

    /// Creates metadata from its parts.
    public init(
        requestID: String, deadlineMilliseconds: Int64, invokedFunctionARN: String,
        traceID: String? = nil, clientContext: String? = nil, cognitoIdentity: String? = nil
    ) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
    }

    /// Parses the headers of a next-invocation reply (names compared case-insensitively).
    ///
    /// Request id, deadline and function ARN are required; the trace id, client context and Cognito
    /// identity are optional (the RIE omits empty headers).
    /// - Throws: ``LambdaRuntimeError/missingHeader(_:)`` for an absent or empty required header,
    ///   ``LambdaRuntimeError/invalidHeader(name:value:)`` for a request id that cannot go in a URL
    ///   path or a deadline that is not a non-negative integer.
    public init(headers: some Sequence<(name: String, value: String)>) throws(LambdaRuntimeError) {
        var found: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if found[key] == nil { found[key] = value }
        }
        func required(_ name: String) throws(LambdaRuntimeError) -> String {
            guard let value = found[name.lowercased()], !value.isEmpty else { throw .missingHeader(name) }
            return value
        }
        func optional(_ name: String) -> String? {
            guard let value = found[name.lowercased()], !value.isEmpty else { return nil }
            return value
        }
        let requestID = try required(AmazonHeaders.requestID)
        // The id is put into the response URL path: refuse anything that would change the path.
        guard
            requestID.utf8.allSatisfy({
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#")
                    && $0 != UInt8(ascii: "%")
            })
        else {
            throw .invalidHeader(name: AmazonHeaders.requestID, value: requestID)
        }
        let deadlineText = try required(AmazonHeaders.deadline)
        guard let deadline = Int64(deadlineText), deadline >= 0 else {
            throw .invalidHeader(name: AmazonHeaders.deadline, value: deadlineText)
        }
        self.requestID = requestID
        self.deadlineMilliseconds = deadline
        self.invokedFunctionARN = try required(AmazonHeaders.invokedFunctionARN)
        self.traceID = optional(AmazonHeaders.traceID)
        self.clientContext = optional(AmazonHeaders.clientContext)
        self.cognitoIdentity = optional(AmazonHeaders.cognitoIdentity)
    }
}
