import JSONValue

/// The processing configuration (`processing.md` §2).
public struct ProcessingConfiguration: Sendable, Hashable {
    /// Bit width of the logger's elapsed-time counter, 1…32.
    public var elapsedTimeWidth: Int = 32
    /// Per-name limit on individually reported faults.
    public var faultLimit: Int = 10
    /// Decoder strictness.
    public var isStrict: Bool = false
    /// Diagnostic output only.
    public var isVerbose: Bool = false
    /// The original's "running on a laptop" flag; no effect on results.
    public var isLocal: Bool = true
    /// Status endpoint of the original's manager service; no effect on results.
    public var managementURL: String = ""
    /// The trusted node's provider id, if the file names one.
    public var providerID: String?
    /// Trusted-node name written into every document (`geojson-b12.md` §2).
    public var providerOrganizationName: String = "CCOM/JHC, UNH"
    /// Trusted-node e-mail written into every document (`geojson-b12.md` §2).
    public var providerEmail: String = "wibl@ccom.unh.edu"
    /// `reference` (the default: the original's exact behaviour) or `accurate`.
    public var mode: ProcessingMode = .reference
    /// Accurate mode's settings (used only when ``mode`` is `accurate`).
    public var accurate = AccurateSettings()

    /// The defaults (the content of `config/processing.json`).
    public init() {}

    /// The default configuration file, compiled into `wibl` and `bootstrap`; identical to
    /// `config/processing.json` (a test checks that they agree).
    public static let embeddedDefaultJSON = """
        {
            "verbose": false,
            "elapsed_time_width": 32,
            "fault_limit": 10,
            "strict_mode": false,
            "local": true,
            "management_url": ""
        }

        """

    /// 2^width: the step added at each counter wrap (`processing.md` §2, §7).
    public var elapsedTimeQuantum: Double { Double(UInt64(1) << UInt64(elapsedTimeWidth)) }

    /// Reads a configuration from JSON; absent keys keep their defaults. A key that is not one of
    /// ``knownKeys`` is an error that names it and suggests the closest known key.
    ///
    /// - Throws: ``ConfigurationError`` naming the key that is wrong.
    public init(json bytes: some Collection<UInt8>) throws(ConfigurationError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw .notJSON(reason: error.description)
        }
        guard let object = value.objectValue else { throw .notAnObject(found: value.typeName) }
        for key in object.keys where !Self.knownKeys.contains(key) {
            throw .unknownKey(key: key, suggestion: Self.closestKnownKey(to: key))
        }
        self.init()
        func integer(_ key: String, _ range: ClosedRange<Int64>) throws(ConfigurationError) -> Int? {
            guard let v = object[key] else { return nil }
            guard case .integer(let i) = v, range.contains(i) else {
                throw .badValue(
                    key: key, expected: "an integer in \(range.lowerBound)…\(range.upperBound)", found: v.serialized())
            }
            return Int(i)
        }
        func bool(_ key: String) throws(ConfigurationError) -> Bool? {
            guard let v = object[key] else { return nil }
            guard let b = v.boolValue else {
                throw .badValue(key: key, expected: "true or false", found: v.serialized())
            }
            return b
        }
        func string(_ key: String, allowEmpty: Bool = true) throws(ConfigurationError) -> String? {
            guard let v = object[key] else { return nil }
            guard let s = v.stringValue, allowEmpty || !s.isEmpty else {
                throw .badValue(
                    key: key, expected: allowEmpty ? "a string" : "a non-empty string", found: v.serialized())
            }
            return s
        }
        if let v = try integer("elapsed_time_width", 1...32) { elapsedTimeWidth = v }
        if let v = try integer("fault_limit", 0...Int64(Int32.max)) { faultLimit = v }
        if let v = try bool("strict_mode") { isStrict = v }
        if let v = try bool("verbose") { isVerbose = v }
        if let v = try bool("local") { isLocal = v }
        if let v = try string("management_url") { managementURL = v }
        if let v = try string("provider_id", allowEmpty: false) {
            try Self.checkProviderID(v, source: "configuration key 'provider_id'")
            providerID = v
        }
        if let v = try string("provider_organization_name", allowEmpty: false) { providerOrganizationName = v }
        if let v = try string("provider_email", allowEmpty: false) { providerEmail = v }
        try readAccurateKeys(object)
    }
}

/// A configuration that cannot be used, naming the key (`processing.md` §2).
public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not JSON.
    case notJSON(reason: String)
    /// The JSON is not an object.
    case notAnObject(found: String)
    /// A key has a value of the wrong type or out of range.
    case badValue(key: String, expected: String, found: String)
    /// No provider id was given (`--provider-id`, `PROVIDER_ID` or `provider_id`).
    case missingProviderID
    /// A key that is not a configuration key, with the closest known key when one is near.
    case unknownKey(key: String, suggestion: String?)
    /// A provider id that is not letters and digits starting with a letter; `source` says where it
    /// came from (`--provider-id`, `the environment variable PROVIDER_ID`, …).
    case badProviderID(value: String, source: String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .notJSON(let reason): "the configuration is not valid JSON: \(reason)"
        case .notAnObject(let found): "the configuration must be a JSON object, not \(found)."
        case .badValue(let key, let expected, let found):
            "configuration key '\(key)' must be \(expected), not \(found)."
        case .missingProviderID:
            "no provider id: give --provider-id, set PROVIDER_ID, or put \"provider_id\" in the configuration."
        case .unknownKey(let key, let suggestion):
            "unknown configuration key '\(key)'"
                + (suggestion.map { "; did you mean '\($0)'?" }
                    ?? " (known keys: \(ProcessingConfiguration.knownKeys.joined(separator: ", "))).")
        case .badProviderID(let value, let source):
            "the provider id '\(value)' given by \(source) must be letters and digits starting with a letter "
                + "(e.g. UNHJHC): it prefixes every vessel id."
        }
    }
}
