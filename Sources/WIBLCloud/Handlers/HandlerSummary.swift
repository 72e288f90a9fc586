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
        /// Already in the ledger (processed, claimed or submitted): not converted, staged or posted again.
        case duplicate
        /// A WIBL file that cannot be converted; recorded in the ledger (`failed`).
        case failed
        /// Not acceptable (not WIBL, too large, GeoJSON DCDB would refuse); recorded (`invalid`).
        case invalid
        /// DCDB refused it; recorded (`refused`).
        case refused
        /// DCDB may or may not have it; recorded (`unknown`), never posted again automatically.
        case unknown
        /// A transient failure (S3 5xx or throttling, a timeout, DCDB unreachable): the invocation
        /// fails so that Lambda retries it.
        case retry
        /// Not handled because the invocation was about to time out; S3/Lambda will retry.
        case deferred
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
    /// The full error message (or, for duplicates, why nothing was done).
    public var error: String?
    /// The ledger id of the file (SHA-256 of the logger file), when known.
    public var file: String?

    /// Creates a result.
    public init(
        object: ObjectReference?, status: Status, output: ObjectReference? = nil, soundings: Int? = nil,
        errorClass: String? = nil, error: String? = nil, file: String? = nil
    ) {
        self.object = object
        self.status = status
        self.output = output
        self.soundings = soundings
        self.errorClass = errorClass
        self.error = error
        self.file = file
    }

    /// Whether the record counts as a failure in the summary (recorded or transient).
    public var isFailure: Bool { [.failed, .invalid, .refused, .unknown, .retry].contains(status) }
}

/// The JSON a handler returns:
/// `{"succeeded": n, "duplicates": n, "failed": n, "retry": n, "items": [...]}`.
public struct HandlerSummary: Sendable, Hashable {
    /// One entry per record, in event order.
    public var items: [ItemResult] = []

    /// Creates an empty summary.
    public init() {}

    /// Records converted or submitted by this invocation.
    public var succeeded: Int { items.count { $0.status == .processed || $0.status == .submitted } }
    /// Records already handled before (not redone).
    public var duplicates: Int { items.count { $0.status == .duplicate } }
    /// Records that failed (recorded in the ledger, or transient).
    public var failed: Int { items.count { $0.isFailure } }
    /// Records that failed transiently: the invocation fails so that Lambda retries.
    public var retryable: Int { items.count { $0.status == .retry } }
    /// Records left for a retry because the deadline was near.
    public var deferred: Int { items.count { $0.status == .deferred } }

    /// The summary as a JSON value.
    public var json: JSONValue {
        var root = JSONObject()
        root["succeeded"] = .integer(Int64(succeeded))
        root["duplicates"] = .integer(Int64(duplicates))
        root["failed"] = .integer(Int64(failed))
        if retryable > 0 { root["retry"] = .integer(Int64(retryable)) }
        if deferred > 0 { root["deferred"] = .integer(Int64(deferred)) }
        root["items"] = .array(
            items.map { item in
                var entry = JSONObject()
                if let object = item.object {
                    entry["bucket"] = .string(object.bucket)
                    entry["key"] = .string(object.key)
                }
                entry["status"] = .string(item.status.rawValue)
                if let file = item.file { entry["file"] = .string(file) }
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
/// a record failed transiently, some records were deferred because the deadline was near, or every
/// record of the event was malformed.
public struct InvocationFailure: Error, Sendable, CustomStringConvertible {
    /// Why the invocation failed.
    public enum Reason: String, Sendable {
        /// Every record failed (malformed event records: nothing could be recorded).
        case allRecordsFailed = "AllRecordsFailed"
        /// Some records failed transiently (S3 5xx, throttling, timeouts, DCDB unreachable).
        case transientFailure = "TransientFailure"
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
            case .transientFailure: "\(summary.retryable) record(s) failed transiently and will be retried"
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
