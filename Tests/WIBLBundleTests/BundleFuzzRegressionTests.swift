import Testing
import WIBLSystem
import WIBLTestSupport

@testable import WIBLBundle

/// Every input in `testdata/fuzz-bundle/` (fuzzer findings and hand-made hostile archives) ends in
/// members or a typed error, as a tar and as a gzip bundle.
@Suite struct BundleFuzzRegressionTests {
    static let inputs = Fixtures.files(in: "fuzz-bundle", suffix: "")
        .filter { !$0.hasPrefix(".") && $0 != "README.md" }
        .map { Fixtures.path("fuzz-bundle/" + $0) }

    @Test func thereAreRegressionInputs() {
        #expect(Self.inputs.count >= 3)
    }

    @Test(arguments: inputs)
    func replays(_ path: String) throws {
        let bytes = try readWholeFile(path)
        let reader = TarReader(TarBytes(bytes))
        var members = 0
        var failure: BundleError?
        do {
            while try reader.next() != nil { members += 1 }
        } catch {
            failure = error
        }
        #expect(members <= 1)
        if path.hasSuffix(".tar") { #expect(failure != nil, "each hostile tar is refused with a typed error") }
        do {
            let bundle = try LoggerBundle(compressed: bytes)
            while try bundle.nextMember() != nil {}
            #expect(!path.hasSuffix(".tgz"), "a damaged bundle must not read cleanly")
        } catch {
            #expect(!error.description.isEmpty)
        }
    }
}
