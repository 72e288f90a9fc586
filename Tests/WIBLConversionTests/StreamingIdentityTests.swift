import NIOCore
import Testing
import WIBLConversion
import WIBLFormat
import WIBLGeoJSON
import WIBLProcessing
import WIBLTestSupport

/// The streaming conversion (two passes over the bytes, no packet list) writes exactly the bytes the
/// conversion over a materialised packet list wrote before it (`wibl` at commit 2c5cfc8), for every
/// test file: real files, simulated files of every source mix and version, and files with zeroed
/// elapsed times, algorithm requests, undecodable sentence names and damaged packets.
///
/// `testdata/streaming/golden.txt` holds, per input, the FNV-1a 64 hash of that older `wibl convert
/// --provider-id UNHJHC` output with lineage timestamps blanked, or the class of its error. The
/// inputs under `testdata/streaming/` were made with `make-inputs.py` and the golden values with
/// `make-golden.py` (both there), from that older binary.
@Suite struct StreamingIdentityTests {
    struct Golden: Sendable, CustomStringConvertible {
        var path: String
        var expected: String
        var description: String { path }
    }

    static let golden: [Golden] = {
        guard let bytes = try? Fixtures.bytes("streaming/golden.txt") else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, !line.hasPrefix("#") else { return nil }
            return Golden(path: String(parts[0]), expected: String(parts[1]))
        }
    }()

    static let settings = GeoJSONSettings(providerID: "UNHJHC", configuration: ProcessingConfiguration())

    @Test func everyInputHasAGoldenValue() {
        #expect(Self.golden.count >= 26)
        let streaming = Fixtures.files(in: "streaming", suffix: ".wibl")
        let named = Set(Self.golden.map(\.path))
        for name in streaming { #expect(named.contains("streaming/" + name), "\(name) has no golden value") }
        for name in Fixtures.files(in: "wibl", suffix: ".wibl") {
            #expect(named.contains("wibl/" + name), "\(name) has no golden value")
        }
    }

    @Test(arguments: golden)
    func streamingConversionMatchesTheListBasedOne(_ golden: Golden) throws {
        let bytes = ByteBuffer(bytes: try Fixtures.bytes(golden.path))
        // The conversion the CLI and the Lambda run: streaming.
        var sink = MemorySink()
        let streamed: String
        do {
            _ = try WIBLConversion.convert(
                bytes, fileName: "input.wibl", configuration: ProcessingConfiguration(), settings: Self.settings,
                nowMicroseconds: 1_795_000_000_000_000, to: &sink)
            streamed = Self.fingerprint(sink.bytes)
            #expect(sink.chunks >= 1)
        } catch {
            streamed = "error:" + error.errorClass
        }
        #expect(streamed == golden.expected)
        // The list-based entry point (decode everything, then process) agrees.
        #expect(Self.listBased(bytes) == golden.expected)
    }

    static func listBased(_ bytes: ByteBuffer) -> String {
        let file: WIBLFile
        do {
            file = try WIBLFile.decode(bytes)
        } catch {
            return "error:" + error.errorClass
        }
        let processed: ProcessedFile
        do {
            processed = try processWIBL(
                file, configuration: ProcessingConfiguration(),
                options: ProcessingOptions(fileName: "input.wibl", nowMicroseconds: 1_795_000_000_000_000))
        } catch {
            return "error:" + error.errorClass
        }
        var sink = MemorySink()
        do {
            _ = try GeoJSONWriter.write(processed, settings: settings, to: &sink)
        } catch {
            return "error:" + error.errorClass
        }
        return fingerprint(sink.bytes)
    }

    /// FNV-1a 64 of the document with every `"timestamp":"…"` value blanked (lineage times).
    static func fingerprint(_ document: [UInt8]) -> String {
        let marker = Array(#""timestamp":""#.utf8)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var i = 0
        while i < document.count {
            if document[i] == marker[0], i + marker.count <= document.count,
                document[i..<(i + marker.count)].elementsEqual(marker)
            {
                for byte in marker { mix(byte) }
                i += marker.count
                while i < document.count, document[i] != UInt8(ascii: "\"") { i += 1 }
                continue
            }
            mix(document[i])
            i += 1
        }
        return String(hash, radix: 16)
    }
}
