import JSONValue
import NIOCore
import Testing
import WIBLConversion
import WIBLGeoJSON
import WIBLSystem
import WIBLTestSupport

/// All-or-nothing outputs (`STYLE.md`; `geojson-b12.md` §6).
@Suite struct AtomicFileTests {
    func makeFolder() throws -> String { try FileSystem.makeTemporaryFolder(prefix: "wibl-atomic") }
    func entries(_ folder: String) -> [String] { (try? FileSystem.entries(of: folder)) ?? [] }
    func remove(_ folder: String) { FileSystem.removeTree(folder) }

    @Test func writesTheDocumentUnderItsNameOnly() throws {
        let folder = try makeFolder()
        defer { remove(folder) }
        let path = folder + "/out.geojson"
        let summary = try AtomicFile.write(to: path) { sink in
            try GeoJSONWriter.write(makeProcessedFile(count: 1_000), settings: settings, to: &sink)
        }
        #expect(summary.features == 1_000)
        #expect(entries(folder) == ["out.geojson"])
        let document = try JSONValue.parse(try readWholeFile(path))
        #expect(document["features"]?.arrayValue?.count == 1_000)
    }

    @Test func aWriteFailingHalfwayLeavesNothingBehindAndKeepsTheOldFile() throws {
        let folder = try makeFolder()
        defer { remove(folder) }
        let path = folder + "/out.geojson"
        try AtomicFile.write(to: path) { sink in try sink.write(Array("old".utf8)) }

        /// Passes two chunks to the file, then fails as a full disk would.
        struct FailAfterTwo: GeoJSONSink {
            var file: FileSink
            var chunks = 0
            mutating func write(_ chunk: ByteBuffer) throws {
                chunks += 1
                if chunks > 2 { throw FileOutputError.writeFailed(path: file.temporaryPath, errno: ENOSPC) }
                try file.write(chunk)
            }
        }
        var temporary = ""
        #expect(throws: GeoJSONError.self) {
            try AtomicFile.write(to: path) { sink in
                temporary = sink.temporaryPath
                var failing = FailAfterTwo(file: sink)
                _ = try GeoJSONWriter.write(makeProcessedFile(count: 5_000), settings: settings, to: &failing)
            }
        }
        #expect(temporary.hasPrefix(folder + "/.out.geojson."), "the temporary file is in the same folder")
        #expect(entries(folder) == ["out.geojson"], "the temporary file was removed")
        #expect(try readWholeFile(path) == Array("old".utf8), "the existing output is untouched")
    }

    @Test func aFailingRenameRemovesTheTemporaryFile() throws {
        let folder = try makeFolder()
        defer { remove(folder) }
        let target = folder + "/taken"
        mkdir(target, 0o755)
        try AtomicFile.write(to: target + "/inner") { sink in try sink.write([1]) }  // a non-empty folder
        defer { unlink(target + "/inner") }
        #expect(throws: FileOutputError.self) {
            try AtomicFile.write(to: target) { sink in try sink.write(Array("data".utf8)) }
        }
        #expect(entries(folder) == ["taken"])
    }

    @Test func aMissingFolderIsACreateError() {
        #expect {
            try AtomicFile.write(to: "/nonexistent-wibl-folder/out.geojson") { sink in try sink.write([1]) }
        } throws: { error in
            guard let error = error as? FileOutputError, case .cannotCreate = error else { return false }
            return error.description.contains("nonexistent-wibl-folder")
        }
    }
}
