import JSONValue
import Testing
import WIBLGeoJSON
import WIBLTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct TestFailure: Error, CustomStringConvertible {
    var description: String
}

/// All-or-nothing outputs (`STYLE.md`; `geojson-b12.md` §6).
@Suite struct AtomicFileTests {
    /// A fresh empty folder under the system temporary folder.
    func makeFolder() throws -> String {
        var template = Array("/tmp/wibl-atomic-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { throw TestFailure(description: "mkdtemp failed") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func entries(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func remove(_ folder: String) {
        for name in entries(folder) where unlink(folder + "/" + name) != 0 { rmdir(folder + "/" + name) }
        rmdir(folder)
    }

    @Test func writesTheDocumentUnderItsNameOnly() throws {
        let folder = try makeFolder()
        defer { remove(folder) }
        let path = folder + "/out.geojson"
        let summary = try AtomicFile.write(to: path) { sink in
            try GeoJSONWriter.write(makeProcessedFile(count: 1_000), settings: settings, to: &sink)
        }
        #expect(summary.features == 1_000)
        #expect(entries(folder) == ["out.geojson"])
        let document = try JSONValue.parse(try readFile(path))
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
            mutating func write(_ bytes: [UInt8]) throws {
                chunks += 1
                if chunks > 2 { throw FileOutputError.writeFailed(path: file.temporaryPath, errno: ENOSPC) }
                try file.write(bytes)
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
        #expect(try readFile(path) == Array("old".utf8), "the existing output is untouched")
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
