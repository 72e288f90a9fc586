import JSONValue
import NIOCore
import Testing
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLTestSupport

/// Every input kept in `testdata/fuzz/` (crashes and slow inputs found by the `convert` and `json`
/// harnesses of `Fuzz/`, plus hand-made hostile inputs) goes through the whole conversion, strict
/// and not, to a document or a typed error, the streaming and list-based conversions agreeing; and
/// through the JSON parser to a value that round-trips, or a typed error.
@Suite struct FuzzReplayTests {
    static let inputs = Fixtures.files(in: "fuzz", suffix: "").filter { $0 != "README.md" && !$0.hasPrefix(".") }

    @Test(arguments: inputs)
    func conversionReplays(_ name: String) throws {
        let bytes = ByteBuffer(bytes: try Fixtures.bytes("fuzz/" + name))
        for strict in [false, true] {
            var configuration = ProcessingConfiguration()
            configuration.isStrict = strict
            var sink = MemorySink()
            let streamed: String
            do {
                _ = try WIBLConversion.convert(
                    bytes, fileName: name, configuration: configuration,
                    settings: StreamingIdentityTests.settings, nowMicroseconds: 1_795_000_000_000_000, to: &sink)
                streamed = StreamingIdentityTests.fingerprint(sink.bytes)
                #expect((try? JSONValue.parse(sink.bytes)) != nil, "the document of \(name) is JSON")
            } catch {
                streamed = "error:" + error.errorClass
            }
            if !strict { #expect(streamed == StreamingIdentityTests.listBased(bytes)) }
        }
    }

    @Test(arguments: inputs)
    func jsonReplays(_ name: String) throws {
        let bytes = try Fixtures.bytes("fuzz/" + name)
        guard let value = try? JSONValue.parse(bytes) else { return }
        #expect(try JSONValue.parse(value.serializedBytes()) == value)
    }
}
