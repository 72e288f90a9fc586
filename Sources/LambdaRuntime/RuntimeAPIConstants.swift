/// The literal strings of the Lambda Runtime API, in one place (`cloud.md` §5).
public enum AmazonHeaders {
    /// The invocation's request id.
    public static let requestID = "Lambda-Runtime-Aws-Request-Id"
    /// Unix epoch milliseconds at which the invocation times out.
    public static let deadline = "Lambda-Runtime-Deadline-Ms"
    /// The ARN the function was invoked with.
    public static let invokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
    /// The X-Ray trace header; copied into `_X_AMZN_TRACE_ID`.
    public static let traceID = "Lambda-Runtime-Trace-Id"
    /// Mobile SDK client context (absent otherwise).
    public static let clientContext = "Lambda-Runtime-Client-Context"
    /// Mobile SDK Cognito identity (absent otherwise).
    public static let cognitoIdentity = "Lambda-Runtime-Cognito-Identity"
    /// `<Category.Reason>` of an error report.
    public static let functionErrorType = "Lambda-Runtime-Function-Error-Type"
}

/// Paths and variables of the Runtime API.
public enum RuntimeAPI {
    /// Every path starts with the API version.
    public static let version = "2018-06-01"
    /// `GET`: long-poll for the next event.
    public static let nextPath = "/2018-06-01/runtime/invocation/next"
    /// `POST`: the function could not initialise.
    public static let initErrorPath = "/2018-06-01/runtime/init/error"
    /// `POST`: the result of invocation `requestID`.
    public static func responsePath(_ requestID: String) -> String {
        "/2018-06-01/runtime/invocation/\(requestID)/response"
    }
    /// `POST`: the error of invocation `requestID`.
    public static func errorPath(_ requestID: String) -> String {
        "/2018-06-01/runtime/invocation/\(requestID)/error"
    }
    /// The environment variable holding `host:port` of the Runtime API.
    public static let addressVariable = "AWS_LAMBDA_RUNTIME_API"
    /// The environment variable the X-Ray SDKs read the trace header from.
    public static let traceVariable = "_X_AMZN_TRACE_ID"
    /// The synchronous payload limit: 6 MB (§5, 413 `RequestEntityTooLarge`).
    public static let maximumPayloadBytes = 6 * 1024 * 1024
}
