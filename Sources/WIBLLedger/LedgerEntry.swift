import JSONValue
import WIBLSystem

/// An S3 object named in the ledger.
public struct LedgerObject: Sendable, Hashable, CustomStringConvertible {
    /// The bucket.
    public var bucket: String
    /// The key.
    public var key: String

    /// Creates a reference.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// `s3://bucket/key`.
    public var description: String { "s3://\(bucket)/\(key)" }

    var json: JSONValue { ["bucket": .string(bucket), "key": .string(key)] }

    init?(json: JSONValue?) {
        guard let bucket = json?["bucket"]?.stringValue, let key = json?["key"]?.stringValue else { return nil }
        self.init(bucket: bucket, key: key)
    }
}

/// One immutable entry of a file's history: who did what, when, and what they learnt.
///
/// Stored as one JSON object at `wibl-ledger/<sha256>/<seq>.json`, written once with
/// `If-None-Match: *` and never changed (see ``Ledger``).
public struct LedgerEntry: Sendable, Hashable {
    /// Position in the file's history, from 0.
    public var sequence: Int
    /// What happened.
    public var event: LedgerEvent
    /// When, in microseconds since the epoch (UTC).
    public var time: Int64
    /// Who: `process <request id>`, `submit <request id>`, `reconcile <request id>`, `wibl resubmit <user>` …
    public var actor: String
    /// What, as a sentence for people.
    public var note: String
    /// A random value unique to this write, so a writer recognises its own entry after a lost reply.
    public var nonce: String
    /// The incoming object the entry is about, when there is one.
    public var source: LedgerObject?
    /// The staged GeoJSON (``LedgerEvent/processed``).
    public var staged: LedgerObject?
    /// Soundings in the GeoJSON.
    public var soundings: Int?
    /// `trustedNode.uniqueVesselID`.
    public var vesselID: String?
    /// Length of the track, nautical miles.
    public var nauticalMiles: Double?
    /// A short error class (`NotWIBL`, `TooLarge`, `DCDBRefused` …).
    public var errorClass: String?
    /// The full reason, for failures and DCDB answers.
    public var message: String?
    /// For a claim: the invocation's deadline, microseconds since the epoch.
    public var deadline: Int64?
    /// DCDB's HTTP status, when it answered.
    public var httpStatus: Int?

    /// Creates an entry; `sequence` and `nonce` are set by ``Ledger`` when it is written.
    public init(
        event: LedgerEvent, time: Int64, actor: String, note: String, source: LedgerObject? = nil,
        staged: LedgerObject? = nil, soundings: Int? = nil, vesselID: String? = nil, nauticalMiles: Double? = nil,
        errorClass: String? = nil, message: String? = nil, deadline: Int64? = nil, httpStatus: Int? = nil
    ) {
        self.sequence = 0
        self.nonce = ""
        self.event = event
        self.time = time
        self.actor = actor
        self.note = note
        self.source = source
        self.staged = staged
        self.soundings = soundings
        self.vesselID = vesselID
        self.nauticalMiles = nauticalMiles
        self.errorClass = errorClass
        self.message = message
        self.deadline = deadline
        self.httpStatus = httpStatus
    }

    /// The entry as JSON.
    public var json: JSONValue {
        var object = JSONObject()
        object["ledger"] = 1
        object["seq"] = .integer(Int64(sequence))
        object["event"] = .string(event.rawValue)
        object["time"] = .integer(time)
        object["iso"] = .string(isoTime(microseconds: time))
        object["by"] = .string(actor)
        object["what"] = .string(note)
        object["nonce"] = .string(nonce)
        if let source { object["source"] = source.json }
        if let staged { object["staged"] = staged.json }
        if let soundings { object["soundings"] = .integer(Int64(soundings)) }
        if let vesselID { object["vesselID"] = .string(vesselID) }
        if let nauticalMiles { object["nauticalMiles"] = .double(nauticalMiles) }
        if let errorClass { object["errorClass"] = .string(errorClass) }
        if let message { object["message"] = .string(message) }
        if let deadline { object["deadline"] = .integer(deadline) }
        if let httpStatus { object["httpStatus"] = .integer(Int64(httpStatus)) }
        return .object(object)
    }

    /// Reads an entry written by ``json``.
    ///
    /// - Throws: ``LedgerError/malformedEntry(key:reason:)``.
    public init(json: JSONValue, key: String) throws(LedgerError) {
        guard let sequence = json["seq"]?.integerValue, let eventName = json["event"]?.stringValue,
            let event = LedgerEvent(rawValue: eventName), let time = json["time"]?.integerValue
        else { throw .malformedEntry(key: key, reason: "seq, event or time is missing or unknown") }
        self.sequence = Int(sequence)
        self.event = event
        self.time = time
        self.actor = json["by"]?.stringValue ?? ""
        self.note = json["what"]?.stringValue ?? ""
        self.nonce = json["nonce"]?.stringValue ?? ""
        self.source = LedgerObject(json: json["source"])
        self.staged = LedgerObject(json: json["staged"])
        self.soundings = json["soundings"]?.integerValue.map { Int($0) }
        self.vesselID = json["vesselID"]?.stringValue
        self.nauticalMiles = json["nauticalMiles"]?.doubleValue
        self.errorClass = json["errorClass"]?.stringValue
        self.message = json["message"]?.stringValue
        self.deadline = json["deadline"]?.integerValue
        self.httpStatus = json["httpStatus"]?.integerValue.map { Int($0) }
    }
}

/// `2026-11-29T12:34:56Z` for microseconds since the epoch (proleptic Gregorian, UTC).
public func isoTime(microseconds: Int64) -> String {
    let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = UTCCalendar.civil(days: days)
    func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):"
        + "\(two(secondOfDay % 60))Z"
}
