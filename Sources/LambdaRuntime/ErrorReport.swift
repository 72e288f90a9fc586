/// The JSON body of an invocation or initialisation error (`cloud.md` §5), written by hand:
/// `{"errorMessage": …, "errorType": …, "requestId": …, "stackTrace": []}`.
public struct ErrorReport: Sendable, Hashable {
    /// A sentence describing the error.
    public var errorMessage: String
    /// A short type name, also sent as `Lambda-Runtime-Function-Error-Type`.
    public var errorType: String
    /// The invocation's request id (empty for initialisation errors).
    public var requestID: String
    /// Stack frames; Swift does not give them, so usually empty.
    public var stackTrace: [String]

    /// Creates a report.
    public init(errorMessage: String, errorType: String, requestID: String = "", stackTrace: [String] = []) {
        self.errorMessage = errorMessage
        self.errorType = errorType
        self.requestID = requestID
        self.stackTrace = stackTrace
    }

    /// Describes any error: a ``LambdaReportableError`` gives its own type, others their type name.
    public init(error: any Error, requestID: String = "") {
        if let reportable = error as? any LambdaReportableError {
            self.init(errorMessage: reportable.errorMessage, errorType: reportable.errorType, requestID: requestID)
        } else {
            self.init(errorMessage: "\(error)", errorType: String(describing: type(of: error)), requestID: requestID)
        }
    }

    /// The JSON body as bytes.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"errorMessage":"#.utf8)
        appendJSONString(errorMessage, to: &out)
        out.append(contentsOf: #","errorType":"#.utf8)
        appendJSONString(errorType, to: &out)
        out.append(contentsOf: #","requestId":"#.utf8)
        appendJSONString(requestID, to: &out)
        out.append(contentsOf: #","stackTrace":["#.utf8)
        for (index, frame) in stackTrace.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendJSONString(frame, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}

/// An error that chooses how it is reported to Lambda.
///
/// The run loop turns any error thrown by a handler into an invocation error; conforming errors give
/// the `errorType` (e.g. `WIBL.NoTimeSource`) instead of the Swift type name.
public protocol LambdaReportableError: Error {
    /// The `errorType` of the report and the `Lambda-Runtime-Function-Error-Type` header.
    var errorType: String { get }
    /// The `errorMessage` of the report; by default the error's description.
    var errorMessage: String { get }
}

extension LambdaReportableError {
    /// The error's description.
    public var errorMessage: String { "\(self)" }
}

/// Appends `text` as a JSON string literal (quotes, escapes for `"` `\` and control characters).
func appendJSONString(_ text: String, to out: inout [UInt8]) {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
            out.append(contentsOf: Array(#"\u00"#.utf8))
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        default: out.append(byte)
        }
    }
    out.append(UInt8(ascii: "\""))
}
