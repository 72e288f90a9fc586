import B12Validation
import JSONValue
import Testing
import WIBLTestSupport

/// `geojson-b12.md` §7 and G8.
@Suite struct B12ValidatorTests {
    static let references = Fixtures.files(in: "wibl", suffix: ".reference.geojson")

    func reference(_ name: String) throws -> JSONValue { try JSONValue.parse(try Fixtures.bytes("wibl/" + name)) }

    /// The reference outputs fail csbschema for exactly the reasons the spec lists, and the
    /// input-caused ones are said to be so (G8).
    @Test(arguments: references)
    func g8ReferenceOutputsFailForTheReasonsTheSpecGives(_ name: String) throws {
        let issues = B12Validator.check(try reference(name))
        var expected: Set<String> = []
        if name.hasPrefix("test-") || name.hasPrefix("synth-n2k") || name.hasPrefix("synth-n0183") {
            expected.formUnion(["properties.trustedNode.uniqueVesselID", "properties.platform.uniqueID"])
        }
        if name.hasPrefix("synth-meta") { expected.insert("properties.platform.length") }
        if name.hasPrefix("test-algo-dedup") || name.hasPrefix("test-bin-algo-nodatafilter") {
            expected.insert("properties.processing[0].parameters")  // the original's "" (G5)
        }
        #expect(Set(issues.map(\.path)) == expected, "\(issues)")
        for issue in issues where issue.path != "properties.processing[0].parameters" {
            #expect(issue.cause == .input, "\(issue)")
            #expect(issue.description.contains("logger's input"))
        }
        if let vessel = issues.first(where: { $0.path == "properties.trustedNode.uniqueVesselID" }) {
            #expect(vessel.message.contains("\"UNHJHC-Gulf Surveyor\" is not PROVIDER-UUID"))
        }
        if let length = issues.first(where: { $0.path == "properties.platform.length" }) {
            #expect(length.message.contains("12.5"))
        }
    }

    static let valid: JSONValue = [
        "type": "FeatureCollection",
        "crs": ["type": "name", "properties": ["name": "EPSG:4326"]],
        "properties": [
            "trustedNode": [
                "providerOrganizationName": "CCOM/JHC, UNH", "providerEmail": "wibl@ccom.unh.edu",
                "uniqueVesselID": "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", "convention": "GeoJSON CSB 3.1",
                "dataLicense": "CC0 1.0", "providerLogger": "WIBL", "providerLoggerVersion": "1.3/1.0.0/1.0.0",
                "navigationCRS": "EPSG:4326", "verticalReferenceOfDepth": "Transducer",
                "vesselPositionReferencePoint": "GNSS",
            ],
            "platform": [
                "uniqueID": "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", "type": "Ship", "name": "x",
                "soundSpeedDocumented": false, "positionOffsetsDocumented": false, "dataProcessed": false,
            ],
        ],
        "features": [
            [
                "type": "Feature", "geometry": ["type": "Point", "coordinates": [-70.5, 43.0]],
                "properties": ["depth": 10.5, "time": "2020-01-01T00:00:01.187000Z"],
            ]
        ],
    ]

    @Test func aValidDocumentHasNoIssues() {
        #expect(B12Validator.check(Self.valid) == [])
    }

    /// Each mutation of the valid document and the path that must be reported.
    static let mutations: [(String, @Sendable (inout JSONValue) -> Void, String)] = [
        ("wrong root type", { $0["type"] = "Feature" }, "type"),
        ("bad crs", { $0["crs"] = ["properties": ["name": "EPSG:99"]] }, "crs.properties.name"),
        (
            "missing trusted node key", { $0["properties"]?["trustedNode"]?["dataLicense"] = nil },
            "properties.trustedNode.dataLicense"
        ),
        (
            "bad email", { $0["properties"]?["trustedNode"]?["providerEmail"] = "wibl at unh" },
            "properties.trustedNode.providerEmail"
        ),
        (
            "bad convention", { $0["properties"]?["trustedNode"]?["convention"] = "GeoJSON CSB 3.0" },
            "properties.trustedNode.convention"
        ),
        (
            "bad vertical reference", { $0["properties"]?["trustedNode"]?["verticalReferenceOfDepth"] = "Keel" },
            "properties.trustedNode.verticalReferenceOfDepth"
        ),
        (
            "bad position reference", { $0["properties"]?["trustedNode"]?["vesselPositionReferencePoint"] = "Bow" },
            "properties.trustedNode.vesselPositionReferencePoint"
        ),
        (
            "bad navigation CRS", { $0["properties"]?["trustedNode"]?["navigationCRS"] = "WGS84" },
            "properties.trustedNode.navigationCRS"
        ),
        ("zero length", { $0["properties"]?["platform"]?["length"] = 0 }, "properties.platform.length"),
        ("string length", { $0["properties"]?["platform"]?["length"] = "12" }, "properties.platform.length"),
        (
            "IDNumber without IDType", { $0["properties"]?["platform"]?["IDNumber"] = "369958000" },
            "properties.platform.IDType"
        ),
        (
            "IDType without IDNumber", { $0["properties"]?["platform"]?["IDType"] = "MMSI" },
            "properties.platform.IDNumber"
        ),
        (
            "MMSI of 8 digits",
            {
                $0["properties"]?["platform"]?["IDType"] = "MMSI"
                $0["properties"]?["platform"]?["IDNumber"] = "36995800"
            }, "properties.platform.IDNumber"
        ),
        (
            "non-boolean flag", { $0["properties"]?["platform"]?["soundSpeedDocumented"] = "no" },
            "properties.platform.soundSpeedDocumented"
        ),
        (
            "uniqueID differs",
            { $0["properties"]?["platform"]?["uniqueID"] = "UNHJHC-1c2c3f58-24a4-448f-a538-ccca22993ed7" },
            "properties.platform.uniqueID"
        ),
        (
            "dataProcessed without processing", { $0["properties"]?["platform"]?["dataProcessed"] = true },
            "properties.platform.dataProcessed"
        ),
        (
            "processing without dataProcessed",
            {
                $0["properties"]?["processing"] = [
                    ["type": "Algorithm", "timestamp": "2020-01-01T00:00:00Z", "name": "a"]
                ]
            },
            "properties.platform.dataProcessed"
        ),
        (
            "string parameters (G5)",
            {
                $0["properties"]?["platform"]?["dataProcessed"] = true
                $0["properties"]?["processing"] = [
                    ["type": "Algorithm", "timestamp": "2020-01-01T00:00:00Z", "name": "a", "parameters": ""]
                ]
            }, "properties.processing[0].parameters"
        ),
        (
            "bad lineage timestamp",
            {
                $0["properties"]?["platform"]?["dataProcessed"] = true
                $0["properties"]?["processing"] = [
                    ["type": "Algorithm", "timestamp": "2020-01-01 00:00:00", "name": "a"]
                ]
            }, "properties.processing[0].timestamp"
        ),
        (
            "empty processing",
            {
                $0["properties"]?["platform"]?["dataProcessed"] = true
                $0["properties"]?["processing"] = []
            }, "properties.processing"
        ),
        (
            "sensor without type", { $0["properties"]?["platform"]?["sensors"] = [["make": "A", "model": "B"]] },
            "properties.platform.sensors[0].type"
        ),
        (
            "point with one coordinate",
            { Self.setFeature(&$0, ["type": "Point", "coordinates": [1.0]], key: "geometry") },
            "features[0].geometry.coordinates"
        ),
        (
            "latitude out of range",
            { Self.setFeature(&$0, ["type": "Point", "coordinates": [10.0, 91.0]], key: "geometry") },
            "features[0].geometry.coordinates[1]"
        ),
        (
            "longitude out of range",
            { Self.setFeature(&$0, ["type": "Point", "coordinates": [180.5, 1.0]], key: "geometry") },
            "features[0].geometry.coordinates[0]"
        ),
        (
            "string depth",
            { Self.setFeature(&$0, ["depth": "10", "time": "2020-01-01T00:00:00Z"], key: "properties") },
            "features[0].properties.depth"
        ),
        (
            "month 13", { Self.setFeature(&$0, ["depth": 1, "time": "2020-13-01T00:00:00Z"], key: "properties") },
            "features[0].properties.time"
        ),
        (
            "hour 24", { Self.setFeature(&$0, ["depth": 1, "time": "2020-01-01T24:00:00Z"], key: "properties") },
            "features[0].properties.time"
        ),
        (
            "no Z", { Self.setFeature(&$0, ["depth": 1, "time": "2020-01-01T00:00:00.5"], key: "properties") },
            "features[0].properties.time"
        ),
        (
            "uncertainty without Uncertainty processing",
            {
                Self.setFeature(
                    &$0, ["depth": 1, "time": "2020-01-01T00:00:00Z", "uncertainty": [1, 1, 1]], key: "properties")
            },
            "features[0].properties.uncertainty"
        ),
    ]

    static func setFeature(_ document: inout JSONValue, _ value: JSONValue, key: String) {
        guard var feature = document["features"]?[0] else { return }
        feature[key] = value
        document["features"] = [feature]
    }

    @Test(arguments: mutations.indices)
    func eachRuleIsReportedAtItsPath(_ index: Int) {
        let (name, mutate, path) = Self.mutations[index]
        var document = Self.valid
        mutate(&document)
        let issues = B12Validator.check(document)
        #expect(issues.map(\.path) == [path], "\(name): \(issues)")
        #expect(issues.allSatisfy { $0.message.hasSuffix(".") }, "messages read as sentences")
    }

    @Test(arguments: [
        ("2020-01-01T00:00:00Z", true), ("2020-01-01t00:00:60.123z", true), ("12020-01-01T00:00:00Z", true),
        ("2020-01-01T00:00:00.Z", false), ("2020-00-01T00:00:00Z", false), ("2020-01-32T00:00:00Z", false),
        ("2020-01-01T00:60:00Z", false), ("2020-01-01T00:00:61Z", false), ("2020-01-01T00:00:00+00:00", false),
        ("-2020-01-01T00:00:00Z", false),
    ])
    func timestampPattern(_ text: String, _ isValid: Bool) {
        #expect(B12Validator.isTimestamp(text) == isValid)
    }

    @Test(arguments: [
        ("wibl@ccom.unh.edu", true), ("a.b+c@example.org", true), ("a@b.c", false), ("a@b.toolong", false),
        ("@b.org", false), ("a b@c.org", false), ("a@@b.org", false),
    ])
    func emailPattern(_ text: String, _ isValid: Bool) {
        #expect(B12Validator.isEmail(text) == isValid)
    }

    @Test func featureIssuesAreCappedWithACount() {
        var document = Self.valid
        let bad: JSONValue = ["type": "Feature", "geometry": nil, "properties": ["depth": "x", "time": "y"]]
        document["features"] = .array(Array(repeating: bad, count: 30))
        let issues = B12Validator.check(document, featureLimit: 5)
        #expect(issues.count == 6)
        #expect(issues.last?.message == "55 more feature problem(s) were found but are not listed.")
    }
}
