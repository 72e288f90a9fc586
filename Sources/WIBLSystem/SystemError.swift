/// A failed system call: what was being done, to which path, and the `errno` it set.
///
/// The description is one sentence with the system's own reason (`strerror`), so that the user
/// reads "cannot create the folder 'out': Permission denied." and not a number.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done, as a verb phrase: "read", "create the folder", "open".
    public var action: String
    /// The file or folder concerned.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// Creates the error; `code` defaults to the current `errno`.
    public init(_ action: String, path: String, code: Int32 = errno) {
        self.action = action
        self.path = path
        self.code = code
    }

    /// The system's reason for `code` (`strerror(3)`).
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// "cannot ACTION 'PATH': REASON." Some file systems (`/proc`, `/sys`) answer "No such file or
    /// directory" to creating an entry in a folder that exists; that case is said as it is.
    public var description: String {
        if code == ENOENT, action.hasPrefix("create"), let parent = Self.parentFolder(of: path),
            FileSystem.isFolder(parent)
        {
            return "cannot \(action) '\(path)': '\(parent)' exists but does not accept new entries "
                + "(the system said: \(Self.reason(code))); choose a folder on a writable file system."
        }
        return "cannot \(action) '\(path)': \(Self.reason(code))."
    }

    /// The folder that holds `path` (`/` for `/x`), or `nil` for a bare name.
    static func parentFolder(of path: String) -> String? {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return nil }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// Whether the path (or one of its folders) does not exist.
    public var isMissing: Bool { code == ENOENT }
}
