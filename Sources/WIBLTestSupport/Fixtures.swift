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
    public static func bytes(_ relative: String) throws -> [UInt8] { try readFile(path(relative)) }

    /// Names of the files in `testdata/<folder>` ending in `suffix`, sorted.
    public static func files(in folder: String, suffix: String) -> [String] {
        guard let dir = opendir(path(folder)) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(suffix) { names.append(name) }
        }
        return names.sorted()
    }
}

/// A test-support file error.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String

    /// Creates the error.
    public init(description: String) { self.description = description }
}

/// Reads a whole file.
public func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FixtureError(description: "cannot open \(path)") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw FixtureError(description: "cannot read \(path)") }
        if n == 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}
