import WIBLSystem

/// Why the inputs of a batch command could not be listed.
enum InputFilesError: Error, CustomStringConvertible {
    case missing(path: String)
    case unreadableFolder(path: String, errno: Int32)
    case noFiles(inputs: [String], extension: String)

    var description: String {
        switch self {
        case .missing(let path): "'\(path)' does not exist."
        case .unreadableFolder(let path, let code):
            "cannot read the folder '\(path)': \(String(cString: strerror(code)))."
        case .noFiles(let inputs, let ext):
            "no \(ext) files found in \(inputs.joined(separator: ", "))."
        }
    }
}

/// Expands command-line inputs into files: a file is taken as is (whatever its extension), a folder
/// is searched recursively for files whose name ends in `extension` (case-insensitive), sorted by path
/// so that runs are reproducible.
enum InputFiles {
    static func expand(_ inputs: [String], extension ext: String) throws -> [String] {
        var files: [String] = []
        for input in inputs {
            var info = stat()
            guard stat(input, &info) == 0 else { throw InputFilesError.missing(path: input) }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                var found: [String] = []
                try walk(input, extension: ext.lowercased(), into: &found)
                files += found.sorted()
            } else {
                files.append(input)
            }
        }
        return files
    }

    private static func walk(_ folder: String, extension ext: String, into found: inout [String]) throws {
        guard let dir = opendir(folder) else { throw InputFilesError.unreadableFolder(path: folder, errno: errno) }
        defer { closedir(dir) }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        var folders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            let path = base + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                folders.append(path)
            } else if name.lowercased().hasSuffix(ext) {
                found.append(path)
            }
        }
        // Recursion depth is the folder depth on disk; a symbolic-link loop ends in ELOOP from stat.
        for sub in folders.sorted() { try walk(sub, extension: ext, into: &found) }
    }
}
