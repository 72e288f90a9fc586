import JSONValue

/// Checks a GeoJSON document against the IHO B-12 convention as `csbschema` 3.1.0-2024-04 does
/// (`geojson-b12.md` §7): the JSON Schema (draft 2020-12) and csbschema's semantic checks, plus
/// coordinate ranges, which csbschema does not check.
///
/// Issues that the logger's input causes — a unique id that is not a UUID, metadata values of the
/// wrong type — are marked ``B12Issue/Cause/input`` (G8): `wibl` writes them unchanged, as the
/// original does, and says so.
public enum B12Validator {
    /// The ten keys `trustedNode` must have, all strings (§2, §7).
    static let trustedNodeKeys = [
        "providerOrganizationName", "providerEmail", "uniqueVesselID", "convention", "dataLicense",
        "providerLogger", "providerLoggerVersion", "navigationCRS", "verticalReferenceOfDepth",
        "vesselPositionReferencePoint",
    ]
    /// `trustedNode` keys whose value comes from the logger (its id) rather than the trusted node.
    static let inputTrustedNodeKeys: Set<String> = ["uniqueVesselID"]

    /// Every issue of `document`, in document order.
    ///
    /// - Parameters:
    ///   - document: A parsed GeoJSON document.
    ///   - featureLimit: At most this many feature issues are listed; one more issue then says how
    ///     many were left out.
    /// - Returns: The issues; empty when the document is valid.
    public static func check(_ document: JSONValue, featureLimit: Int = 20) -> [B12Issue] {
        var v = Checker()
        v.checkRoot(document, featureLimit: featureLimit)
        return v.issues
    }

    /// Whether `text` is `PROVIDER-<UUID>`: `^[a-zA-Z][a-zA-Z0-9]*-<8>-<4>-<4>-<4>-<12 hex>$` (§7).
    public static func isVesselID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count > 37, let hyphen = bytes.firstIndex(of: UInt8(ascii: "-")), hyphen >= 1,
            bytes.count - hyphen - 1 == 36
        else { return false }
        guard isLetter(bytes[0]), bytes[1..<hyphen].allSatisfy({ isLetter($0) || isDigit($0) }) else { return false }
        for (i, b) in bytes[(hyphen + 1)...].enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if b != UInt8(ascii: "-") { return false }
            } else if !isHexDigit(b) {
                return false
            }
        }
        return true
    }

    /// Whether `text` is `EPSG:<1024…32767>` (csbschema's `CRS_Name`).
    public static func isEPSG(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 9, bytes.count <= 10, text.hasPrefix("EPSG:") else { return false }
        let digits = bytes[5...]
        guard digits.first != UInt8(ascii: "0"), digits.allSatisfy(isDigit) else { return false }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (1024...32767).contains(code)
    }

    /// Whether `text` matches csbschema's e-mail pattern
    /// `^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,6}$`.
    public static func isEmail(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.allSatisfy({ isLetter($0) || isDigit($0) || "._%+-".utf8.contains($0) }),
            let dot = domain.lastIndex(of: UInt8(ascii: "."))
        else { return false }
        let host = domain[..<dot]
        let top = domain[(dot + 1)...]
        return !host.isEmpty && host.allSatisfy({ isLetter($0) || isDigit($0) || $0 == 0x2E || $0 == 0x2D })
            && (2...6).contains(top.count) && top.allSatisfy(isLetter)
    }

    /// Whether `text` matches csbschema's `RFC3339_time`:
    /// `^[0-9]+-MM-DD[Tt]hh:mm:ss(.[0-9]+)?[Zz]$` with month 01–12, day 01–31, hour 00–23,
    /// minute 00–59, second 00–60.
    public static func isTimestamp(_ text: String) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        while i < b.count && isDigit(b[i]) { i += 1 }
        guard i >= 1, b.count >= i + 16 else { return false }
        func two(_ at: Int) -> Int? {
            guard isDigit(b[at]), isDigit(b[at + 1]) else { return nil }
            return Int(b[at] - 0x30) * 10 + Int(b[at + 1] - 0x30)
        }
        guard b[i] == 0x2D, let month = two(i + 1), (1...12).contains(month), b[i + 3] == 0x2D,
            let day = two(i + 4), (1...31).contains(day), b[i + 6] | 0x20 == 0x74,
            let hour = two(i + 7), hour <= 23, b[i + 9] == 0x3A, let minute = two(i + 10), minute <= 59,
            b[i + 12] == 0x3A, let second = two(i + 13), second <= 60
        else { return false }
        var j = i + 15
        if j < b.count && b[j] == 0x2E {
            j += 1
            let start = j
            while j < b.count && isDigit(b[j]) { j += 1 }
            guard j > start else { return false }
        }
        return j == b.count - 1 && b[j] | 0x20 == 0x7A
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
}

/// One validation run: collects issues while walking the document.
private struct Checker {
    var issues: [B12Issue] = []

    mutating func add(_ path: String, _ message: String, _ cause: B12Issue.Cause = .document) {
        issues.append(B12Issue(path: path, message: message, cause: cause))
    }

    mutating func checkRoot(_ document: JSONValue, featureLimit: Int) {
        guard let root = document.objectValue else {
            add("$", "The document is a JSON \(document.typeName), not an object.")
            return
        }
        switch root["type"] {
        case nil: add("type", "Required key is missing.")
        case .string("FeatureCollection")?: break
        case let other?: add("type", "Must be \"FeatureCollection\", not \(describe(other)).")
        }
        checkCRS(root["crs"])
        var uncertaintyDeclared = false
        if let properties = root["properties"] {
            uncertaintyDeclared = checkProperties(properties)
        } else {
            add("properties", "Required key is missing.")
        }
        guard let featuresValue = root["features"] else {
            add("features", "Required key is missing.")
            return
        }
        guard let features = featuresValue.arrayValue else {
            add("features", "Must be an array, not \(featuresValue.typeName).")
            return
        }
        var listed = 0
        var unlisted = 0
        var firstUncertainty: Int?
        for (index, feature) in features.enumerated() {
            var local = Checker()
            let hasUncertainty = local.checkFeature(feature, "features[\(index)]")
            if hasUncertainty && firstUncertainty == nil { firstUncertainty = index }
            for issue in local.issues {
                if listed < featureLimit {
                    issues.append(issue)
                    listed += 1
                } else {
                    unlisted += 1
                }
            }
        }
        if unlisted > 0 {
            add("features", "\(unlisted) more feature problem(s) were found but are not listed.")
        }
        if let index = firstUncertainty, !uncertaintyDeclared {
            add(
                "features[\(index)].properties.uncertainty",
                "Soundings carry an uncertainty, but properties.processing has no \"Uncertainty\" entry.")
        }
    }

    mutating func checkCRS(_ crs: JSONValue?) {
        guard let crs else {
            add("crs", "Required key is missing.")
            return
        }
        guard crs.objectValue != nil else {
            add("crs", "Must be an object, not \(crs.typeName).")
            return
        }
        guard let properties = crs["properties"] else {
            add("crs.properties", "Required key is missing.")
            return
        }
        guard properties.objectValue != nil else {
            add("crs.properties", "Must be an object, not \(properties.typeName).")
            return
        }
        guard let name = properties["name"] else {
            add("crs.properties.name", "Required key is missing.")
            return
        }
        if let text = name.stringValue, B12Validator.isEPSG(text) { return }
        add("crs.properties.name", "\(describe(name)) is not an EPSG code EPSG:1024 … EPSG:32767.")
    }

    /// Returns whether an `Uncertainty` processing entry is present.
    mutating func checkProperties(_ value: JSONValue) -> Bool {
        guard let properties = value.objectValue else {
            add("properties", "Must be an object, not \(value.typeName).")
            return false
        }
        var vesselID: JSONValue?
        if let node = properties["trustedNode"] {
            vesselID = node["uniqueVesselID"]
            checkTrustedNode(node)
        } else {
            add("properties.trustedNode", "Required key is missing.")
        }
        if let platform = properties["platform"] {
            checkPlatform(platform, vesselID: vesselID, hasProcessing: properties["processing"] != nil)
        }
        var uncertainty = false
        if let processing = properties["processing"] {
            uncertainty = checkProcessing(processing)
        }
        return uncertainty
    }

    mutating func checkTrustedNode(_ value: JSONValue) {
        let path = "properties.trustedNode"
        guard let node = value.objectValue else {
            add(path, "Must be an object, not \(value.typeName).", .input)
            return
        }
        for key in B12Validator.trustedNodeKeys {
            let cause: B12Issue.Cause = B12Validator.inputTrustedNodeKeys.contains(key) ? .input : .document
            guard let field = node[key] else {
                add("\(path).\(key)", "Required key is missing.", cause)
                continue
            }
            guard let text = field.stringValue else {
                add("\(path).\(key)", "Must be a string, not \(describe(field)).", .input)
                continue
            }
            switch key {
            case "providerEmail" where !B12Validator.isEmail(text):
                add("\(path).\(key)", "\(describe(field)) is not an e-mail address.", .input)
            case "uniqueVesselID" where !B12Validator.isVesselID(text):
                add(
                    "\(path).\(key)",
                    "\(describe(field)) is not PROVIDER-UUID (a provider id of letters and digits, a hyphen, then a UUID such as 0c2c3f58-24a4-448f-a538-ccca22993ed7); DCDB requires that form.",
                    .input)
            case "convention" where text != "GeoJSON CSB 3.1":
                add("\(path).\(key)", "Must be \"GeoJSON CSB 3.1\", not \(describe(field)).", .input)
            case "navigationCRS" where !B12Validator.isEPSG(text):
                add("\(path).\(key)", "\(describe(field)) is not an EPSG code EPSG:1024 … EPSG:32767.", .input)
            case "verticalReferenceOfDepth" where !["Transducer", "Waterline", "Unknown"].contains(text):
                add("\(path).\(key)", "Must be Transducer, Waterline or Unknown, not \(describe(field)).", .input)
            case "vesselPositionReferencePoint" where !["GNSS", "Transducer", "ReferencePlace"].contains(text):
                add("\(path).\(key)", "Must be GNSS, Transducer or ReferencePlace, not \(describe(field)).", .input)
            default: break
            }
        }
    }

    mutating func checkPlatform(_ value: JSONValue, vesselID: JSONValue?, hasProcessing: Bool) {
        let path = "properties.platform"
        guard let platform = value.objectValue else {
            add(path, "Must be an object, not \(value.typeName).", .input)
            return
        }
        for key in ["type", "name", "contributorComments"] {
            if let field = platform[key], field.stringValue == nil {
                add("\(path).\(key)", "Must be a string, not \(describe(field)).", .input)
            }
        }
        if let length = platform["length"] {
            if let metres = length.integerValue, metres >= 1 {
            } else {
                add("\(path).length", "\(describe(length)) must be a whole number of metres, at least 1.", .input)
            }
        }
        for key in ["soundSpeedDocumented", "positionOffsetsDocumented", "dataProcessed"] {
            if let field = platform[key], field.boolValue == nil {
                add("\(path).\(key)", "Must be true or false, not \(describe(field)).", .input)
            }
        }
        checkIdentification(platform, path)
        if let sensors = platform["sensors"] { checkSensors(sensors, "\(path).sensors") }
        if let uniqueID = platform["uniqueID"] {
            if let text = uniqueID.stringValue, !B12Validator.isVesselID(text) {
                add("\(path).uniqueID", "\(describe(uniqueID)) is not PROVIDER-UUID; DCDB requires that form.", .input)
            } else if uniqueID.stringValue == nil {
                add("\(path).uniqueID", "Must be a string, not \(describe(uniqueID)).", .input)
            }
            if let vesselID, uniqueID != vesselID {
                add(
                    "\(path).uniqueID",
                    "\(describe(uniqueID)) must equal trustedNode.uniqueVesselID \(describe(vesselID)).")
            }
        }
        // csbschema: a missing dataProcessed counts as false.
        let isProcessed = platform["dataProcessed"]?.boolValue ?? false
        if isProcessed && !hasProcessing {
            add("\(path).dataProcessed", "Is true, but properties.processing is missing.")
        } else if !isProcessed && hasProcessing {
            add("\(path).dataProcessed", "Is false (or missing), but properties.processing is present.")
        }
    }

    mutating func checkIdentification(_ platform: JSONObject, _ path: String) {
        let type = platform["IDType"]
        let number = platform["IDNumber"]
        if let type, type.stringValue.map({ ["MMSI", "IMO"].contains($0) }) != true {
            add("\(path).IDType", "Must be \"MMSI\" or \"IMO\", not \(describe(type)).", .input)
        }
        switch (type, number) {
        case (nil, nil): return
        case (nil, _?): add("\(path).IDType", "Is required because IDNumber is given.", .input)
        case (_?, nil): add("\(path).IDNumber", "Is required because IDType is given.", .input)
        case (let type?, let number?):
            guard let text = number.stringValue else {
                add("\(path).IDNumber", "Must be a string, not \(describe(number)).", .input)
                return
            }
            let bytes = Array(text.utf8)
            let isMMSI = bytes.count == 9 && bytes.allSatisfy(B12Validator.isDigit)
            let isIMO = bytes.count == 10 && text.hasPrefix("IMO") && bytes[3...].allSatisfy(B12Validator.isDigit)
            switch type.stringValue {
            case "MMSI" where !isMMSI:
                add("\(path).IDNumber", "\(describe(number)) is not a 9-digit MMSI.", .input)
            case "IMO" where !isIMO:
                add("\(path).IDNumber", "\(describe(number)) is not \"IMO\" followed by 7 digits.", .input)
            default: break
            }
        }
    }

    mutating func checkSensors(_ value: JSONValue, _ path: String) {
        guard let sensors = value.arrayValue, !sensors.isEmpty else {
            add(path, "Must be a non-empty array of sensor descriptions, not \(describe(value)).", .input)
            return
        }
        for (index, sensor) in sensors.enumerated() {
            let here = "\(path)[\(index)]"
            guard sensor.objectValue != nil else {
                add(here, "Must be an object, not \(sensor.typeName).", .input)
                continue
            }
            let kind = sensor["type"]?.stringValue
            guard let kind, ["Sounder", "IMU", "GNSS"].contains(kind) else {
                add("\(here).type", "Must be \"Sounder\", \"IMU\" or \"GNSS\".", .input)
                continue
            }
            for key in ["make", "model"] where sensor[key]?.stringValue == nil {
                add("\(here).\(key)", sensor[key] == nil ? "Required key is missing." : "Must be a string.", .input)
            }
            if let position = sensor["position"] {
                if position.arrayValue?.count != 3
                    || position.arrayValue?.contains(where: { $0.doubleValue == nil }) != false
                {
                    add("\(here).position", "Must be three numbers (north, east, down offsets in metres).", .input)
                }
            } else if kind != "GNSS" {
                add("\(here).position", "Required key is missing.", .input)
            }
            let numbers = kind == "Sounder" ? ["draft", "draftUncert", "frequency", "pulseLength"] : []
            for key in numbers {
                if let field = sensor[key], field.doubleValue == nil {
                    add("\(here).\(key)", "Must be a number, not \(describe(field)).", .input)
                }
            }
            if kind == "GNSS", let field = sensor["antennaModel"], field.stringValue == nil {
                add("\(here).antennaModel", "Must be a string, not \(describe(field)).", .input)
            }
        }
    }

    /// The processing entry forms of csbschema: type → (required strings, optional strings,
    /// enumerations).
    static let processingForms: [String: (required: [String], optional: [String], enums: [String: [String]])] = [
        "TimeStampInterpolation": (["method"], ["algorithm", "version"], [:]),
        "CRSChange": (["original", "destination"], ["method"], [:]),
        "VerticalReduction": (
            ["reference", "datum", "method"], ["model", "algorithm", "version"],
            ["method": ["EllipsoidReduction", "Observed Waterlevel", "Predicted Waterlevel"]]
        ),
        "GNSS": (["algorithm"], ["version"], ["algorithm": ["RTKLib", "CSRS-PPP"]]),
        "SoundSpeed": (["source", "method"], ["version"], [:]),
        "Uncertainty": (["name", "version", "comment", "reference"], [], [:]),
        "VerticalOffsetAnalysis": (["name", "version"], ["reference", "comment"], [:]),
        "Algorithm": (["name"], ["source", "version", "comment"], [:]),
    ]

    /// Returns whether an `Uncertainty` entry is present.
    mutating func checkProcessing(_ value: JSONValue) -> Bool {
        let path = "properties.processing"
        guard let entries = value.arrayValue, !entries.isEmpty else {
            add(path, "Must be a non-empty array, not \(describe(value)).", .input)
            return false
        }
        var hasUncertainty = false
        for (index, entry) in entries.enumerated() {
            let here = "\(path)[\(index)]"
            guard entry.objectValue != nil else {
                add(here, "Must be an object, not \(entry.typeName).")
                continue
            }
            guard let type = entry["type"]?.stringValue, let form = Self.processingForms[type] else {
                add(
                    "\(here).type",
                    "\(describe(entry["type"] ?? .null)) is not a processing type (Algorithm, Uncertainty, TimeStampInterpolation, CRSChange, VerticalReduction, GNSS, SoundSpeed, VerticalOffsetAnalysis)."
                )
                continue
            }
            if type == "Uncertainty" { hasUncertainty = true }
            if let stamp = entry["timestamp"] {
                if !(stamp.stringValue.map(B12Validator.isTimestamp) ?? false) {
                    add(
                        "\(here).timestamp",
                        "\(describe(stamp)) is not an RFC 3339 UTC time (YYYY-MM-DDThh:mm:ss[.ffffff]Z).")
                }
            } else {
                add("\(here).timestamp", "Required key is missing.")
            }
            for key in form.required where entry[key] == nil {
                add("\(here).\(key)", "Required key is missing for a \"\(type)\" entry.")
            }
            for key in form.required + form.optional {
                if let field = entry[key] {
                    if let text = field.stringValue {
                        if let allowed = form.enums[key], !allowed.contains(text) {
                            add(
                                "\(here).\(key)",
                                "Must be one of \(allowed.joined(separator: ", ")), not \(describe(field)).")
                        }
                    } else {
                        add("\(here).\(key)", "Must be a string, not \(describe(field)).")
                    }
                }
            }
            switch type {
            case "Algorithm":
                if let parameters = entry["parameters"], parameters.objectValue == nil, !parameters.isNull {
                    let note =
                        parameters == ""
                        ? " (the original WIBL software writes \"\" for no parameters; wibl writes {})" : ""
                    add("\(here).parameters", "Must be an object or null, not \(describe(parameters))\(note).")
                }
            case "Uncertainty":
                if let parameters = entry["parameters"] {
                    if parameters.objectValue == nil {
                        add("\(here).parameters", "Must be an object, not \(describe(parameters)).")
                    }
                } else {
                    add("\(here).parameters", "Required key is missing for an \"Uncertainty\" entry.")
                }
            case "VerticalOffsetAnalysis":
                let offsets = entry["offsets"]?.arrayValue ?? []
                let isValid =
                    !offsets.isEmpty
                    && offsets.allSatisfy { o in
                        ["x", "y", "delta"].allSatisfy { o[$0]?.doubleValue != nil }
                            && (o["z"].map { $0.doubleValue != nil } ?? true)
                    }
                if !isValid { add("\(here).offsets", "Must be a non-empty array of {x, y, delta[, z]} numbers.") }
            default: break
            }
        }
        return hasUncertainty
    }

    /// Returns whether the feature has an `uncertainty`.
    mutating func checkFeature(_ feature: JSONValue, _ path: String) -> Bool {
        guard feature.objectValue != nil else {
            add(path, "Must be an object, not \(feature.typeName).")
            return false
        }
        if feature["type"] != .string("Feature") {
            add("\(path).type", "Must be \"Feature\", not \(describe(feature["type"] ?? .null)).")
        }
        if let id = feature["id"], id.stringValue == nil && id.doubleValue == nil {
            add("\(path).id", "Must be a number or a string, not \(describe(id)).")
        }
        if let geometry = feature["geometry"] {
            checkGeometry(geometry, "\(path).geometry")
        } else {
            add("\(path).geometry", "Required key is missing.")
        }
        guard let properties = feature["properties"] else {
            add("\(path).properties", "Required key is missing.")
            return false
        }
        guard properties.objectValue != nil else {
            add("\(path).properties", "Must be an object, not \(properties.typeName).")
            return false
        }
        if let depth = properties["depth"] {
            if depth.doubleValue?.isFinite != true {
                add("\(path).properties.depth", "Must be a number, not \(describe(depth)).")
            }
        } else {
            add("\(path).properties.depth", "Required key is missing.")
        }
        if let time = properties["time"] {
            if !(time.stringValue.map(B12Validator.isTimestamp) ?? false) {
                add(
                    "\(path).properties.time",
                    "\(describe(time)) is not an RFC 3339 UTC time (YYYY-MM-DDThh:mm:ss[.ffffff]Z).")
            }
        } else {
            add("\(path).properties.time", "Required key is missing.")
        }
        guard let uncertainty = properties["uncertainty"] else { return false }
        if uncertainty.arrayValue?.count != 3
            || uncertainty.arrayValue?.contains(where: { $0.doubleValue == nil }) != false
        {
            add("\(path).properties.uncertainty", "Must be three numbers (x, y and z uncertainty).")
        }
        return true
    }

    mutating func checkGeometry(_ geometry: JSONValue, _ path: String) {
        if geometry.isNull { return }
        guard geometry.objectValue != nil else {
            add(path, "Must be a Point object or null, not \(geometry.typeName).")
            return
        }
        if geometry["type"] != .string("Point") {
            add("\(path).type", "Must be \"Point\", not \(describe(geometry["type"] ?? .null)).")
        }
        guard let coordinates = geometry["coordinates"]?.arrayValue, coordinates.count >= 2,
            coordinates.allSatisfy({ $0.doubleValue != nil })
        else {
            add("\(path).coordinates", "Must be an array of at least two numbers (longitude, latitude).")
            return
        }
        if let bbox = geometry["bbox"],
            bbox.arrayValue.map({ $0.count >= 4 && $0.allSatisfy { $0.doubleValue != nil } }) != true
        {
            add("\(path).bbox", "Must be an array of at least four numbers.")
        }
        // Not checked by csbschema, but no real sounding is outside these ranges.
        if let lon = coordinates[0].doubleValue, !(-180...180).contains(lon) {
            add(
                "\(path).coordinates[0]",
                "Longitude \(lon) is outside −180 … 180 degrees (are longitude and latitude swapped?).")
        }
        if let lat = coordinates[1].doubleValue, !(-90...90).contains(lat) {
            add("\(path).coordinates[1]", "Latitude \(lat) is outside −90 … 90 degrees.")
        }
    }

    /// A short rendering of a value for messages: `"text"`, `12.5`, `null`, `an object`.
    func describe(_ value: JSONValue) -> String {
        switch value {
        case .object: return "an object"
        case .array(let a): return a.isEmpty ? "an empty array" : "an array"
        default:
            let text = value.serialized()
            return text.count > 80 ? String(text.prefix(77)) + "…\"" : text
        }
    }
}
