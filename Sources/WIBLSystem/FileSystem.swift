/// Folders: creating them with their parents, temporary ones, and removing trees.
public enum FileSystem {
    /// Creates a folder and its parents, like `mkdir -p`.
    ///
    /// - Throws: ``SystemError`` naming the first folder that could not be created.
    public static func makeFolders(_ path: String) throws(SystemError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw SystemError("create the folder", path: current)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemError("create the folder", path: path) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SystemError("create the folder", path: path, code: ENOTDIR)
        }
    }

    /// Whether `path` names an existing folder.
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a new, empty folder `PREFIX.XXXXXX` in `$TMPDIR` (or `/tmp`) and returns its path.
    ///
    /// - Throws: ``SystemError`` when `mkdtemp(3)` fails.
    public static func makeTemporaryFolder(prefix: String = "wibl") throws(SystemError) -> String {
        let base = Environment.nonEmpty("TMPDIR") ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast())
        template += Array((prefix + ".XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { throw SystemError("create a temporary folder in", path: base) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a folder, sorted, without `.` and `..`.
    ///
    /// - Throws: ``SystemError`` when the folder cannot be opened.
    public static func entries(of folder: String) throws(SystemError) -> [String] {
        guard let handle = opendir(folder) else { throw SystemError("read the folder", path: folder) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file, or a folder and everything below it (symbolic links are removed, never
    /// followed). Missing paths are not an error.
    public static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? entries(of: path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Runs `body` with a new temporary folder, and removes the folder and its contents afterwards.
    ///
    /// - Throws: ``SystemError`` if the folder cannot be made, or whatever `body` throws.
    public static func withTemporaryFolder<Result>(
        prefix: String = "wibl", _ body: (String) async throws -> Result
    ) async throws -> Result {
        let folder = try makeTemporaryFolder(prefix: prefix)
        defer { removeTree(folder) }
        return try await body(folder)
    }
}
