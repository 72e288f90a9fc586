import JSONValue
import LambdaRuntime

/// The outcome of one event record.
public struct ItemResult: Sendable, Hashable {
    /// What happened to the object.
    public enum Status: String, Sendable, Hashable {
        /// Converted and written to staging.
        case processed
        /// Accepted by DCDB.
        case submitted
        /// Already submitted by an earlier delivery of the same event: not posted again.
        case alreadySubmitted
        /// Not handled because the invocation was about to time out; S3/Lambda will retry.
        case deferred
        /// Failed; see ``ItemResult/error``.
        case failed
    }

    /// The object the record named (or `nil` for a malformed record).
    public var object: ObjectReference?
    /// What happened to the object.
    public var status: Status
    /// Where the output went, for `processed`.
    public var output: ObjectReference?
    /// Number of soundings, when known.
    public var soundings: Int?
    /// Soundings accurate mode left out, per reason (empty in reference mode).
    public var leftOut: [String: Int] = [:]
    /// A short error class (`NoTimeSource`, `NoSuchKey`, `DCDBRefused` …), for failures.
    public var errorClass: String?
    /// The full error message, for failures.
    public var error: String?

    /// Creates a result.
    public init(
        object: ObjectReference?, status: Status, output: ObjectReference? = nil, soundings: Int? = nil,
        errorClass: String? = nil, error: String? = nil
    ) {
        self.object = object
        self.status = status
        self.output = output
        self.soundings = soundings
        self.errorClass = errorClass
        self.error = error
    }

    /// Whether the record counts as a failure in the summary.
    public var isFailure: Bool { status == .failed }
}

/// The JSON a handler returns: `{"succeeded": n, "failed": n, "items": [...]}`.
public struct HandlerSummary: Sendable, Hashable {
    /// One entry per record, in event order.
    public var items: [ItemResult] = []

    /// Creates an empty summary.
    public init() {}

    /// Records that did not fail (deferred ones excluded).
    public var succeeded: Int { items.count { !$0.isFailure && $0.status != .deferred } }
    /// Records that failed.
    public var failed: Int { items.count { $0.isFailure } }
    /// Records left for a retry because the deadline was near.
    public var deferred: Int { items.count { $0.status == .deferred } }

    /// The summary as a JSON value.
    public var json: JSONValue {
        var root = JSONObject()
        root["succeeded"] = .integer(Int64(succeeded))
        root["failed"] = .integer(Int64(failed))
        if deferred > 0 { root["deferred"] = .integer(Int64(deferred)) }
        root["items"] = .array(
            items.map { item in
                var entry = JSONObject()
                if let object = item.object {
                    entry["bucket"] = .string(object.bucket)
                    entry["key"] = .string(object.key)
                }
                entry["status"] = .string(item.status.rawValue)
                if let output = item.output { entry["output"] = .string(output.description) }
                if let soundings = item.soundings { entry["soundings"] = .integer(Int64(soundings)) }
                if !item.leftOut.isEmpty {
                    var leftOut = JSONObject()
                    leftOut["total"] = .integer(Int64(item.leftOut.values.reduce(0, +)))
                    for (reason, count) in item.leftOut.sorted(by: { $0.key < $1.key }) {
                        leftOut[reason] = .integer(Int64(count))
                    }
                    entry["leftOut"] = .object(leftOut)
                }
                if let errorClass = item.errorClass { entry["errorClass"] = .string(errorClass) }
                if let error = item.error { entry["error"] = .string(error) }
                return .object(entry)
            })
        return .object(root)
    }
}

/// Thrown by a handler when the invocation must be reported as failed so that Lambda retries it:
/// every record failed, or some records were deferred because the deadline was near.
public struct InvocationFailure: Error, Sendable, CustomStringConvertible {
    /// Why the invocation failed.
    public enum Reason: String, Sendable {
        /// Every record failed.
        case allRecordsFailed = "AllRecordsFailed"
        /// Some records were not started before the deadline.
        case recordsDeferred = "RecordsDeferred"
    }

    /// Why.
    public var reason: Reason
    /// The summary of the invocation.
    public var summary: HandlerSummary

    /// Creates the error.
    public init(reason: Reason, summary: HandlerSummary) {
        self.reason = reason
        self.summary = summary
    }

    /// Every record's outcome, one clause each.
    public var description: String {
        let reasons = summary.items.map { item in
            "\(item.object?.description ?? "record"): \(item.error ?? item.status.rawValue)"
        }
        let head =
            switch reason {
            case .allRecordsFailed: "all \(summary.items.count) record(s) failed"
            case .recordsDeferred: "\(summary.deferred) record(s) deferred because the deadline was near"
            }
        return head + ": " + reasons.joined(separator: "; ")
    }
}

/// S3 tag values allow letters, digits, spaces and `+ - = . _ : / @`, up to 256 characters; other
/// characters are replaced by `_` so a tag can always be written.
func tagSafe(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars.prefix(256) {
        let ok =
            (scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == " "
                || "+-=._:/@".unicodeScalars.contains(scalar))
        out.unicodeScalars.append(ok ? scalar : "_")
    }
    return out
}

/// Replaces (or adds) the given keys in a tag set, keeping the other tags in their order.
func merging(_ tags: [ObjectTag], with updates: [ObjectTag]) -> [ObjectTag] {
    var result = tags.filter { tag in !updates.contains { $0.key == tag.key } }
    result += updates
    return result
}

extension InvocationFailure: LambdaReportableError {
    /// `WIBL.AllRecordsFailed` or `WIBL.RecordsDeferred`.
    public var errorType: String { "WIBL." + reason.rawValue }
}
