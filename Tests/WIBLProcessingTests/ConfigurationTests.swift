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
