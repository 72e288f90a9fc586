import JSONValue
import Testing
import WIBLGeoJSON
import WIBLProcessing
import WIBLTestSupport

/// `geojson-b12.md` §2, §4 and deviations G1–G5.
@Suite struct MetadataMergeTests {
    @Test func skeletonHasTheSpecsKeysValuesAndOrder() throws {
        let (document, _, _) = try writeAndParse(makeProcessedFile())
        #expect(document.keyList == ["type", "crs", "properties", "features"])
        #expect(document["crs"] == ["type": "name", "properties": ["name": "EPSG:4326"]])
        let node = try #require(document["properties"]?["trustedNode"])
        #expect(
            node
                == [
                    "providerOrganizationName": "CCOM/JHC, UNH", "providerEmail": "wibl@ccom.unh.edu",
                    "uniqueVesselID": "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", "convention": "GeoJSON CSB 3.1",
                    "dataLicense": "CC0 1.0", "providerLogger": "WIBL", "providerLoggerVersion": "1.3/1.0.0/1.0.0",
                    "navigationCRS": "EPSG:4326", "verticalReferenceOfDepth": "Transducer",
                    "vesselPositionReferencePoint": "GNSS",
                ])
        #expect(
            node.keyList == [
                "providerOrganizationName", "providerEmail", "uniqueVesselID", "convention", "dataLicense",
                "providerLogger", "providerLoggerVersion", "navigationCRS", "verticalReferenceOfDepth",
                "vesselPositionReferencePoint",
            ])
        #expect(
            document["properties"]?["platform"]
                == [
                    "uniqueID": "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", "type": "Ship", "name": "Gulf Surveyor",
                    "soundSpeedDocumented": false, "positionOffsetsDocumented": false, "dataProcessed": false,
                ])
        #expect(document["properties"]?.keyList == ["trustedNode", "platform"])
    }

    @Test func configuredProviderNameAndEmailOverrideTheDefaults() throws {
        var custom = settings
        custom.providerOrganizationName = "Example Node"
        custom.providerEmail = "node@example.org"
        let node = try properties(of: makeProcessedFile(), settings: custom)["trustedNode"]
        #expect(node?["providerOrganizationName"] == "Example Node")
        #expect(node?["providerEmail"] == "node@example.org")
    }

    /// The spec's example: `synth-meta-1mb.wibl`'s metadata.
    @Test func mergeKeepsExistingKeysInPlaceAndAppendsNewOnes() throws {
        let metadata = """
            {"properties": {"trustedNode": {"providerOrganizationName": "WIBL reference harness",
             "providerEmail": "harness@example.org"}, "platform": {"type": "Ship", "length": 12.5, "IDType":
             "MMSI", "IDNumber": "369958000", "sensors": [{"type": "Sounder", "make": "A", "model": "B",
             "position": [0, 0, 0]}], "contributorComments": "c"}}}
            """
        let p = try properties(of: makeProcessedFile(metadata: metadata))
        #expect(p["trustedNode"]?["providerOrganizationName"] == "WIBL reference harness")
        #expect(p["trustedNode"]?["providerEmail"] == "harness@example.org")
        #expect(p["trustedNode"]?.keyList.prefix(3) == ["providerOrganizationName", "providerEmail", "uniqueVesselID"])
        #expect(
            p["platform"]?.keyList == [
                "uniqueID", "type", "name", "soundSpeedDocumented", "positionOffsetsDocumented", "dataProcessed",
                "length", "IDType", "IDNumber", "sensors", "contributorComments",
            ])
        #expect(p["platform"]?["length"] == .double(12.5))
    }

    @Test func combineRulesObjectsMergeArraysConcatenateScalarsAreReplacedIncludingNull() throws {
        let metadata = """
            {"properties": {"platform": {"name": null, "sensors": [{"type": "GNSS", "make": "A", "model": "B"}],
              "extra": {"a": 1, "b": [1]}},
             "trustedNode": {"dataLicense": 5}},
             "type": "ignored", "features": [1, 2]}
            """
        let merged = try properties(of: makeProcessedFile(metadata: metadata))
        #expect(merged["platform"]?["name"] == .null)
        #expect(merged["trustedNode"]?["dataLicense"] == 5)
        #expect(merged["platform"]?["extra"] == ["a": 1, "b": [1]])

        // A second level: arrays from the metadata are appended to arrays already there.
        let twice = """
            {"properties": {"processing": [{"type": "Algorithm", "timestamp": "2020-01-01T00:00:00Z", "name": "a"}]}}
            """
        let record = LineageRecord(
            name: "deduplicate", parameters: [], version: "1.0.0", comment: "c", timestampMicroseconds: 0)
        let withLineage = try properties(of: makeProcessedFile(metadata: twice, lineage: [record]))
        #expect(withLineage["processing"]?.arrayValue?.map { $0["name"] } == ["a", "deduplicate"])
        #expect(withLineage["platform"]?["dataProcessed"] == true)
        #expect(withLineage.keyList == ["trustedNode", "platform", "processing"])
    }

    @Test func crsIsReplacedAsIs() throws {
        let (document, _, _) = try writeAndParse(
            makeProcessedFile(metadata: #"{"crs": {"type": "name", "properties": {"name": "EPSG:4979"}, "x": 1}}"#))
        #expect(document["crs"] == ["type": "name", "properties": ["name": "EPSG:4979"], "x": 1])
    }

    @Test func propertiesThatAreNotAnObjectAreIgnored() throws {
        let p = try properties(of: makeProcessedFile(metadata: #"{"properties": [1, 2]}"#))
        #expect(p.keyList == ["trustedNode", "platform"])
    }

    @Test(arguments: [
        ("{not json", "not valid JSON"), ("[1, 2]", "array"), ("\"text\"", "string"),
        (#"{"properties": {"processing": {"type": "Algorithm"}}}"#, "processing"),
        (#"{"properties": {"processing": "none"}}"#, "processing"),
        (#"{"processing": 3}"#, "processing"),  // legacy layout, still an array required
        (#"{"properties": {"platform": 5}}"#, "properties.platform"),  // the original crashes here
        (#"{"properties": {"trustedNode": []}}"#, "properties.trustedNode"),
    ])
    func g1BadMetadataFailsTheFileNamingTheProblem(_ metadata: String, _ mention: String) {
        var sink = MemorySink()
        do {
            _ = try GeoJSONWriter.write(makeProcessedFile(metadata: metadata), settings: settings, to: &sink)
            Issue.record("metadata \(metadata) was accepted")
        } catch {
            guard case .badMetadata = error else {
                Issue.record("expected BadMetadata, got \(error)")
                return
            }
            #expect(error.description.contains(mention), "\(error.description)")
            #expect(error.errorClass == "BadMetadata")
        }
        #expect(sink.bytes.isEmpty, "no output for a refused file")
    }

    @Test(arguments: [
        (nil, nil as String?),  // no Metadata packet, no metadata
        (nil, #"{"properties": {"platform": {"length": 3}}}"#),
        ("0c2c3f58-24a4-448f-a538-ccca22993ed7", #"{"properties": {"trustedNode": {"uniqueVesselID": 42}}}"#),
        ("0c2c3f58-24a4-448f-a538-ccca22993ed7", #"{"properties": {"trustedNode": {"uniqueVesselID": null}}}"#),
    ])
    func g2MissingLoggerID(_ loggerName: String?, _ metadata: String?) {
        var sink = MemorySink()
        #expect(throws: GeoJSONError.missingLoggerID) {
            _ = try GeoJSONWriter.write(
                makeProcessedFile(loggerName: loggerName, metadata: metadata), settings: settings, to: &sink)
        }
        #expect(GeoJSONError.missingLoggerID.description.hasPrefix("the file has no logger id"))
    }

    @Test func g2TheMetadataCanSupplyTheLoggerID() throws {
        let p = try properties(
            of: makeProcessedFile(
                loggerName: nil, metadata: #"{"properties": {"trustedNode": {"uniqueVesselID": "abc"}}}"#))
        #expect(p["trustedNode"]?["uniqueVesselID"] == "UNHJHC-abc")
        #expect(p["platform"]?["uniqueID"] == "UNHJHC-abc")
    }

    @Test(arguments: [
        ("Gulf Surveyor", "UNHJHC-Gulf Surveyor"),
        ("0c2c3f58-24a4-448f-a538-ccca22993ed7", "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7"),
        ("UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7", "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7"),
        ("XUNHJHCY", "UNHJHC-XUNHJHCY"),  // the original's substring test would leave it alone
        ("UNHJHC", "UNHJHC-UNHJHC"),
        ("UNHJHCfoo", "UNHJHC-UNHJHCfoo"),
    ])
    func g3ProviderPrefixUnlessAlreadyStartingWithProviderHyphen(_ loggerName: String, _ expected: String) throws {
        let p = try properties(of: makeProcessedFile(loggerName: loggerName))
        #expect(p["trustedNode"]?["uniqueVesselID"] == .string(expected))
        #expect(p["platform"]?["uniqueID"] == .string(expected))
        #expect(p["platform"]?.keyList.first == "uniqueID")
    }

    @Test func g3UniqueIDFromTheMetadataIsOverwrittenInPlace() throws {
        let p = try properties(of: makeProcessedFile(metadata: #"{"properties": {"platform": {"uniqueID": "other"}}}"#))
        #expect(p["platform"]?["uniqueID"] == "UNHJHC-0c2c3f58-24a4-448f-a538-ccca22993ed7")
        #expect(p["platform"]?.keyList.first == "uniqueID")
    }

    @Test func g3EmptyProviderIDIsAConfigurationError() {
        var sink = MemorySink()
        #expect(throws: GeoJSONError.emptyProviderID) {
            _ = try GeoJSONWriter.write(
                makeProcessedFile(), settings: GeoJSONSettings(providerID: "", software: "x"), to: &sink)
        }
    }

    @Test func g4LegacyRootLevelLayoutIsMergedWithAWarning() throws {
        let metadata = """
            {"trustedNode": {"providerEmail": "legacy@example.org"}, "platform": {"length": 20},
             "processing": [{"type": "Algorithm", "timestamp": "2020-01-01T00:00:00Z", "name": "manual"}]}
            """
        let (document, summary, _) = try writeAndParse(makeProcessedFile(metadata: metadata))
        let p = try #require(document["properties"])
        #expect(p["trustedNode"]?["providerEmail"] == "legacy@example.org")
        #expect(p["platform"]?["length"] == 20)
        #expect(p["processing"]?[0]?["name"] == "manual")
        #expect(p["platform"]?["dataProcessed"] == true)
        #expect(summary.warnings.contains { $0.contains("legacy layout") })
    }

    @Test func g4LegacyKeysAreIgnoredWhenPropertiesIsPresent() throws {
        let metadata = #"{"properties": {}, "platform": {"length": 20}}"#
        let (document, summary, _) = try writeAndParse(makeProcessedFile(metadata: metadata))
        #expect(document["properties"]?["platform"]?["length"] == nil)
        #expect(!summary.warnings.contains { $0.contains("legacy") })
    }

    @Test func g5LineageKeyOrderAndParametersAlwaysAnObject() throws {
        let records = [
            LineageRecord(
                name: "nodatareject", parameters: [], version: "1.0.0", comment: "Filtered 0 packets.",
                timestampMicroseconds: 1_577_836_801_187_000),
            LineageRecord(
                name: "deduplicate", parameters: [.init(key: "mode", value: "consecutive")], version: "1.0.0",
                comment: "Selected 3 non-duplicate depths from 3 in input.", timestampMicroseconds: 0),
        ]
        let p = try properties(of: makeProcessedFile(lineage: records))
        let processing = try #require(p["processing"]?.arrayValue)
        #expect(processing.count == 2)
        #expect(processing[0].keyList == ["type", "timestamp", "name", "parameters", "source", "version", "comment"])
        #expect(processing[0]["parameters"] == .object([:]))
        #expect(processing[0]["timestamp"] == "2020-01-01T00:00:01.187000Z")
        #expect(processing[0]["source"] == "wibl-swift-test")
        #expect(processing[1]["parameters"] == ["mode": "consecutive"])
        #expect(p["platform"]?["dataProcessed"] == true)
    }

    @Test func dataProcessedKeepsTheMetadataValueWithoutLineage() throws {
        let p = try properties(
            of: makeProcessedFile(metadata: #"{"properties": {"platform": {"dataProcessed": true}}}"#))
        #expect(p["platform"]?["dataProcessed"] == true)
        #expect(p["processing"] == nil)
    }

    @Test func g8InputProblemsThatWillFailCsbschemaAreReportedAsWarnings() throws {
        let (_, summary, _) = try writeAndParse(
            makeProcessedFile(loggerName: "Gulf Surveyor", metadata: #"{"properties": {"platform": {"length": 12.5}}}"#)
        )
        #expect(summary.warnings.contains { $0.contains("uniqueVesselID") && $0.contains("UNHJHC-Gulf Surveyor") })
        #expect(summary.warnings.contains { $0.contains("platform.length") && $0.contains("12.5") })
        #expect(summary.warnings.allSatisfy { $0.contains("logger's input") })
        let (_, clean, _) = try writeAndParse(makeProcessedFile())
        #expect(clean.warnings.isEmpty)
    }
}
