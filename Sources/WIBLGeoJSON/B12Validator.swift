import JSONValue

/// One problem found in a B-12 document: where, and what.
public struct B12Issue: Sendable, Hashable, CustomStringConvertible {
    /// A JSON path such as `properties.trustedNode.uniqueVesselID` or `features[12].properties.time`.
    public var path: String
    /// What is wrong, as a sentence fragment.
    public var message: String

    /// Creates an issue.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// The structural checks of the B-12 GeoJSON convention that `csbschema` 3.1.0-2024-04 makes
/// (`geojson-b12.md` §7), plus coordinate ranges.
public enum B12Validator {
    static let trustedNodeKeys = [
        "providerOrganizationName", "providerEmail", "uniqueVesselID", "convention", "dataLicense",
        "providerLogger", "providerLoggerVersion", "navigationCRS", "verticalReferenceOfDepth",
        "vesselPositionReferencePoint",
    ]

    /// Every issue of `document`, in document order (at most `featureLimit` feature issues).
    public static func check(_ document: JSONValue, featureLimit: Int = 20) -> [B12Issue] {
        var issues: [B12Issue] = []
        func issue(_ path: String, _ message: String) { issues.append(B12Issue(path: path, message: message)) }
        guard let root = document.objectValue else {
            return [B12Issue(path: "$", message: "the document is not a JSON object")]
        }
        if root["type"]?.stringValue != "FeatureCollection" { issue("type", "must be \"FeatureCollection\"") }
        if let name = root["crs"]?["properties"]?["name"]?.stringValue {
            if !isEPSG(name) { issue("crs.properties.name", "'\(name)' is not an EPSG code between 1024 and 32767") }
        } else {
            issue("crs.properties.name", "is missing")
        }
        guard let properties = root["properties"]?.objectValue else {
            issue("properties", "is missing or not an object")
            return issues
        }
        var vesselID: String?
        if let node = properties["trustedNode"]?.objectValue {
            for key in trustedNodeKeys where node[key]?.stringValue == nil {
                issue("properties.trustedNode.\(key)", node[key] == nil ? "is missing" : "must be a string")
            }
            if let email = node["providerEmail"]?.stringValue, !isEmail(email) {
                issue("properties.trustedNode.providerEmail", "'\(email)' is not an e-mail address")
            }
            vesselID = node["uniqueVesselID"]?.stringValue
            if let id = vesselID, !isVesselID(id) {
                issue(
                    "properties.trustedNode.uniqueVesselID",
                    "'\(id)' is not PROVIDER-<UUID> (letters/digits, a hyphen and a UUID); DCDB requires that form, and it comes from the logger's unique id")
            }
            if let c = node["convention"]?.stringValue, c != "GeoJSON CSB 3.1" {
                issue("properties.trustedNode.convention", "'\(c)' must be \"GeoJSON CSB 3.1\"")
            }
            if let crs = node["navigationCRS"]?.stringValue, !isEPSG(crs) {
                issue("properties.trustedNode.navigationCRS", "'\(crs)' is not an EPSG code")
            }
            if let v = node["verticalReferenceOfDepth"]?.stringValue, !["Transducer", "Waterline", "Unknown"].contains(v) {
                issue("properties.trustedNode.verticalReferenceOfDepth", "'\(v)' must be Transducer, Waterline or Unknown")
            }
            if let v = node["vesselPositionReferencePoint"]?.stringValue, !["GNSS", "Transducer", "ReferencePlace"].contains(v) {
                issue("properties.trustedNode.vesselPositionReferencePoint", "'\(v)' must be GNSS, Transducer or ReferencePlace")
            }
        } else {
            issue("properties.trustedNode", "is missing or not an object")
        }
        let processing = properties["processing"]
        if let processing {
            checkProcessing(processing, &issues)
        }
        if let platformValue = properties["platform"] {
            guard let platform = platformValue.objectValue else {
                issue("properties.platform", "must be an object")
                return issues
            }
            if let length = platform["length"] {
                if case .integer(let l) = length, l >= 1 {
                } else {
                    issue(
                        "properties.platform.length",
                        "\(length.serialized()) must be a whole number of metres ≥ 1 (it comes from the file's JSON metadata)")
                }
            }
            for key in ["soundSpeedDocumented", "positionOffsetsDocumented", "dataProcessed"] {
                if let value = platform[key], value.boolValue == nil { issue("properties.platform.\(key)", "must be true or false") }
            }
            if let id = platform["uniqueID"] {
                if id.stringValue != vesselID {
                    issue("properties.platform.uniqueID", "must equal trustedNode.uniqueVesselID")
                }
            }
            let idType = platform["IDType"]?.stringValue
            let idNumber = platform["IDNumber"]?.stringValue
            switch (idType, idNumber) {
            case (nil, nil): break
            case (nil, _?): issue("properties.platform.IDType", "is required when IDNumber is given")
            case (_?, nil): issue("properties.platform.IDNumber", "is required when IDType is given")
            case ("MMSI"?, let n?):
                if !(n.count == 9 && n.allSatisfy(\.isASCIIDigit)) { issue("properties.platform.IDNumber", "'\(n)' is not a 9-digit MMSI") }
            case ("IMO"?, let n?):
                if !(n.count == 10 && n.hasPrefix("IMO") && n.dropFirst(3).allSatisfy(\.isASCIIDigit)) {
                    issue("properties.platform.IDNumber", "'\(n)' is not IMO followed by 7 digits")
                }
            case (let t?, _): issue("properties.platform.IDType", "'\(t)' must be MMSI or IMO")
            }
            if let processed = platform["dataProcessed"]?.boolValue {
                let hasProcessing = !(processing?.arrayValue?.isEmpty ?? true)
                if processed && !hasProcessing {
                    issue("properties.platform.dataProcessed", "is true but there is no processing block")
                } else if !processed && processing != nil {
                    issue("properties.platform.dataProcessed", "is false but a processing block is present")
                }
            }
        }
        guard let features = root["features"]?.arrayValue else {
            issue("features", "is missing or not an array")
            return issues
        }
        var featureIssues = 0
        for (index, feature) in features.enumerated() {
            let before = issues.count
            checkFeature(feature, "features[\(index)]", &issues)
            featureIssues += issues.count - before
            if featureIssues >= featureLimit {
                issue("features", "stopped after \(featureLimit) feature problems")
                break
            }
        }
        return issues
    }

    private static func checkProcessing(_ value: JSONValue, _ issues: inout [B12Issue]) {
        guard let entries = value.arrayValue, !entries.isEmpty else {
            issues.append(B12Issue(path: "properties.processing", message: "must be a non-empty array"))
            return
        }
        for (i, entry) in entries.enumerated() {
            let path = "properties.processing[\(i)]"
            guard let type = entry["type"]?.stringValue else {
                issues.append(B12Issue(path: path, message: "has no type"))
                continue
            }
            if !isTimestamp(entry["timestamp"]?.stringValue ?? "") {
                issues.append(B12Issue(path: path + ".timestamp", message: "must be an RFC 3339 UTC time"))
            }
            guard type == "Algorithm" else { continue }
            if entry["name"]?.stringValue == nil { issues.append(B12Issue(path: path + ".name", message: "must be a string")) }
            if let p = entry["parameters"], p.objectValue == nil, !p.isNull {
                issues.append(B12Issue(path: path + ".parameters", message: "must be an object or null, not \(p.typeName)"))
            }
            for key in ["source", "version", "comment"] {
                if let v = entry[key], v.stringValue == nil { issues.append(B12Issue(path: "\(path).\(key)", message: "must be a string")) }
            }
        }
    }

    private static func checkFeature(_ feature: JSONValue, _ path: String, _ issues: inout [B12Issue]) {
        if feature["type"]?.stringValue != "Feature" { issues.append(B12Issue(path: path + ".type", message: "must be \"Feature\"")) }
        if let geometry = feature["geometry"], !geometry.isNull {
            let coordinates = geometry["coordinates"]?.arrayValue ?? []
            if geometry["type"]?.stringValue != "Point" || coordinates.count < 2 || coordinates.contains(where: { $0.doubleValue == nil }) {
                issues.append(B12Issue(path: path + ".geometry", message: "must be a Point with at least two numbers"))
            } else if let lon = coordinates[0].doubleValue, let lat = coordinates[1].doubleValue,
                !(-180...180).contains(lon) || !(-90...90).contains(lat)
            {
                issues.append(B12Issue(path: path + ".geometry.coordinates", message: "[\(lon), \(lat)] is out of range"))
            }
        }
        guard let properties = feature["properties"] else {
            issues.append(B12Issue(path: path + ".properties", message: "is missing"))
            return
        }
        if properties["depth"]?.doubleValue == nil {
            issues.append(B12Issue(path: path + ".properties.depth", message: "must be a number"))
        }
        if !isTimestamp(properties["time"]?.stringValue ?? "") {
            issues.append(B12Issue(path: path + ".properties.time", message: "must be YYYY-MM-DDTHH:MM:SS[.fraction]Z"))
        }
    }

    /// `EPSG:<1024…32767>`.
    static func isEPSG(_ text: String) -> Bool {
        guard text.hasPrefix("EPSG:"), let code = Int(text.dropFirst(5)) else { return false }
        return (1024...32767).contains(code)
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(" ")
    }

    /// `^[a-zA-Z][a-zA-Z0-9]*-<UUID>$`.
    public static func isVesselID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count > 37, let hyphen = bytes.firstIndex(of: UInt8(ascii: "-")), hyphen >= 1,
            bytes.count - hyphen - 1 == 36
        else { return false }
        func alpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func hex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
        guard alpha(bytes[0]), bytes[1..<hyphen].allSatisfy({ alpha($0) || ($0 >= 0x30 && $0 <= 0x39) }) else { return false }
        for (i, b) in bytes[(hyphen + 1)...].enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if b != UInt8(ascii: "-") { return false }
            } else if !hex(b) {
                return false
            }
        }
        return true
    }

    /// `YYYY-MM-DD[Tt]HH:MM:SS(.fraction)?[Zz]` with range checks on each part.
    static func isTimestamp(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] | 0x20 == 0x74, b[13] == 0x3A, b[16] == 0x3A,
            b[b.count - 1] | 0x20 == 0x7A
        else { return false }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), number(0..<4) != nil,
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return false }
        if b.count == 20 { return true }
        return b[19] == 0x2E && b.count > 21 && number(20..<(b.count - 1)) != nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
