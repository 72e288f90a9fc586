import WIBLSystem

/// The case names (folder paths relative to `root`, e.g. `post-sts-token/post-sts-header-before`)
/// of every `NAME/NAME.req` below `root`.
func findRequestFiles(_ root: String) -> [String] {
    var found: [String] = []
    var pending = [""]
    while let relative = pending.popLast() {
        let folder = relative.isEmpty ? root : root + "/" + relative
        for name in (try? FileSystem.entries(of: folder)) ?? [] {
            let child = relative.isEmpty ? name : relative + "/" + name
            if FileSystem.isFolder(root + "/" + child) {
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
