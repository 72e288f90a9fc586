import WIBLSystem

/// Finds the repository's `testdata/` and other paths from this source file's location, so tests
/// need no bundle resources.
public enum Fixtures {
    /// The repository root.
    public static let root: String = {
        var path = #filePath
        for _ in 0..<3 {  // Sources/WIBLTestSupport/Fixtures.swift → repo root
            if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) }
        }
        return path
    }()

    /// `testdata/<relative>`.
    public static func path(_ relative: String) -> String { root + "/testdata/" + relative }

    /// The built `wibl` executable of the debug build (tests run after `swift build`).
    public static var wiblExecutable: String { root + "/.build/debug/wibl" }

    /// The bytes of `testdata/<relative>`.
    public static func bytes(_ relative: String) throws -> [UInt8] { try readWholeFile(path(relative)) }

    /// Names of the files in `testdata/<folder>` ending in `suffix`, sorted.
    public static func files(in folder: String, suffix: String) -> [String] {
        ((try? FileSystem.entries(of: path(folder))) ?? []).filter { $0.hasSuffix(suffix) }
    }
}

/// Writes bytes to a file (all or nothing).
public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try AtomicFile.write(to: path, durable: false) { sink in try sink.write(bytes) }
}
