import NIOCore
import Testing
import WIBLFormat
import WIBLTestSupport

/// Every input kept in `testdata/fuzz/` (crashes found by `Fuzz/run.sh`, plus hand-made hostile
/// inputs) must decode to a result or a typed error in both modes, and what decodes must re-encode
/// and decode again unchanged.
@Suite struct FuzzRegressionTests {
    static let inputs = Fixtures.files(in: "fuzz", suffix: "").filter { $0 != "README.md" && !$0.hasPrefix(".") }

    /// What each input must give, strict and lenient: `ok` (decodes) or the decode error's class.
    /// A new input gets its line here when it is added, so a change of outcome fails the test.
    static let expected: [String: (strict: String, lenient: String)] = [
        "absurd-length.bin": ("TruncatedPacket", "ok"),
        "string-overrun.bin": ("BadString", "ok"),
        "trailing-bytes.bin": ("TruncatedHeader", "ok"),
        "unknown-ids.bin": ("UnknownPacket", "ok"),
        "version-1-4-rawgnss.bin": ("ok", "ok"),
        "zero-length-everything.bin": ("BadPacketLength", "ok"),
        // Found by Fuzz/ FuzzJSON (a false alarm of the harness itself, kept as a JSON input).
        "json-crash-e65be1843882112a21e7b971d01e4ce31657d50d": ("NotWIBL", "NotWIBL"),
    ]

    static func outcome(_ bytes: ByteBuffer, isStrict: Bool) -> String {
        do {
            _ = try WIBLFile.decode(bytes, options: .init(isStrict: isStrict))
            return "ok"
        } catch {
            #expect(!error.description.isEmpty, "every decode error is a sentence")
            return error.errorClass
        }
    }

    @Test(arguments: inputs)
    func replay(_ name: String) throws {
        let bytes = ByteBuffer(bytes: try Fixtures.bytes("fuzz/" + name))
        let strict = Self.outcome(bytes, isStrict: true)
        let lenient = Self.outcome(bytes, isStrict: false)
        let expected = try #require(Self.expected[name], "\(name) has no expected outcome: add it to the table")
        #expect(
            strict == expected.strict && lenient == expected.lenient, "\(name): strict \(strict), lenient \(lenient)")
        if lenient == "ok" {
            let file = try WIBLFile.decode(bytes)
            let again = try WIBLFile.decode(WIBLEncoder.encode(file.packets), options: .init(isStrict: true))
            #expect(WIBLEncoder.encode(again.packets) == WIBLEncoder.encode(file.packets))
        }
    }

    @Test func theCorpusIsNotEmpty() {
        #expect(!Self.inputs.isEmpty)
    }
}
