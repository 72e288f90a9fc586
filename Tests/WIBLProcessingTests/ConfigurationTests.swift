import Testing
import WIBLProcessing
import WIBLTestSupport

@Suite struct ConfigurationTests {
    @Test func theEmbeddedDefaultIsExactlyConfigProcessingJSON() throws {
        let file = try Fixtures.bytes("../config/processing.json")
        #expect(String(decoding: file, as: UTF8.self) == ProcessingConfiguration.embeddedDefaultJSON)
        #expect(try ProcessingConfiguration(json: file) == ProcessingConfiguration())
    }

    @Test(arguments: [
        (#"{"elapsed_time_width": 0}"#, "elapsed_time_width"), (#"{"elapsed_time_width": 33}"#, "elapsed_time_width"),
        (#"{"elapsed_time_width": 16.5}"#, "elapsed_time_width"), (#"{"fault_limit": -1}"#, "fault_limit"),
        (#"{"strict_mode": "yes"}"#, "strict_mode"), (#"{"verbose": 1}"#, "verbose"),
        (#"{"provider_id": ""}"#, "provider_id"),
    ])
    func badValuesAreRefusedNamingTheKey(_ text: String, _ key: String) {
        do {
            _ = try ProcessingConfiguration(json: Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains("'\(key)'"))
        }
    }

    @Test func keysOfTheCloudSideAreIgnoredAndWidth16Works() throws {
        let c = try ProcessingConfiguration(
            json: Array(#"{"elapsed_time_width": 16, "upload_point": "x", "notification": {}}"#.utf8))
        #expect(c.elapsedTimeWidth == 16 && c.elapsedTimeQuantum == 65536)
    }

    @Test func notJSONOrNotAnObject() {
        #expect(throws: ConfigurationError.self) { try ProcessingConfiguration(json: Array("{".utf8)) }
        #expect(throws: ConfigurationError.notAnObject(found: "array")) {
            try ProcessingConfiguration(json: Array("[]".utf8))
        }
    }
}

@Suite struct ConfigurationKeyTests {
    @Test func anUnknownKeyIsRefusedWithTheClosestKnownOne() {
        #expect(throws: ConfigurationError.unknownKey(key: "elapsed_time_widht", suggestion: "elapsed_time_width")) {
            try ProcessingConfiguration(json: Array(#"{"elapsed_time_widht": 32}"#.utf8))
        }
        #expect(throws: ConfigurationError.unknownKey(key: "colour", suggestion: nil)) {
            try ProcessingConfiguration(json: Array(#"{"verbose": true, "colour": "blue"}"#.utf8))
        }
    }

    @Test(arguments: [
        ("fault_limt", "fault_limit"), ("strictmode", "strict_mode"), ("Provider_ID", "provider_id"),
        ("upload_piont", "upload_point"), ("management-url", "management_url"),
    ])
    func suggestions(_ typed: String, _ expected: String) {
        #expect(ProcessingConfiguration.closestKnownKey(to: typed) == expected)
    }

    @Test(arguments: ProcessingConfiguration.knownKeys)
    func everyKnownKeyIsKnown(_ key: String) {
        // Whatever the value's type, the key itself must not be refused as unknown.
        do {
            _ = try ProcessingConfiguration(json: Array("{\"\(key)\": null}".utf8))
        } catch {
            if case .unknownKey = error { Issue.record("\(key) is refused as unknown") }
        }
    }

    @Test(arguments: ["UNHJHC", "A", "abc123"])
    func goodProviderIDs(_ id: String) throws {
        try ProcessingConfiguration.checkProviderID(id, source: "--provider-id")
    }

    @Test(arguments: ["", "UN HJ", "UNH-JHC", "1UNH", "ÜNH", "UNH_"])
    func badProviderIDsNameTheirSource(_ id: String) {
        #expect(throws: ConfigurationError.badProviderID(value: id, source: "--provider-id")) {
            try ProcessingConfiguration.checkProviderID(id, source: "--provider-id")
        }
    }
}
