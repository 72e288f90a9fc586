import WIBLSystem

/// The case names (folder paths relative to `root`, e.g. `post-sts-token/post-sts-header-before`)
/// of every `NAME/NAME.req` below `root`.
func findRequestFiles(_ root: String) -> [String] {
    var found: [String] = []
    var pending = [""]
    while let relative = pending.popLast() {
        let dirPath = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(dirPath) else { continue }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            if entry.pointee.d_type == UInt8(DT_DIR) {
                pending.append(child)
            } else if name.hasSuffix(".req") {
                found.append(relative)
            }
        }
    }
    return found.sorted()
}

/// A test vector file could not be understood.
struct VectorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
