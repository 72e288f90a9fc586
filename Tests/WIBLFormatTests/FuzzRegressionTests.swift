import NIOCore
import Testing
import WIBLFormat
import WIBLTestSupport

/// Every input kept in `testdata/fuzz/` (crashes found by `Fuzz/run.sh`, plus hand-made hostile
/// inputs) must decode to a result or a typed error in both modes, and what decodes must re-encode
/// and decode again unchanged.
@Suite struct FuzzRegressionTests {
    static let inputs = Fixtures.files(in: "fuzz", suffix: "").filter { $0 != "README.md" && !$0.hasPrefix(".") }

    @Test(arguments: inputs)
    func replay(_ name: String) throws {
        let bytes = ByteBuffer(bytes: try Fixtures.bytes("fuzz/" + name))
        _ = try? WIBLFile.decode(bytes, options: .init(isStrict: true))
        guard let file = try? WIBLFile.decode(bytes) else { return }
        let again = try WIBLFile.decode(WIBLEncoder.encode(file.packets), options: .init(isStrict: true))
        #expect(WIBLEncoder.encode(again.packets) == WIBLEncoder.encode(file.packets))
    }

    @Test func theCorpusIsNotEmpty() {
        #expect(!Self.inputs.isEmpty)
    }
}
