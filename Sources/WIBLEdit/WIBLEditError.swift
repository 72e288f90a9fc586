import WIBLFormat

/// Why an edit was refused. Nothing is written in any case.
public enum WIBLEditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input is not a WIBL file (D8).
    case notWIBL(WIBLDecodeError)
    /// The file ends inside a packet; packets appended after it would be swallowed by its declared
    /// length, so the edit cannot append.
    case truncatedTail(offset: Int, declaredLength: Int, available: Int)
    /// The target serialiser version cannot hold a packet type the output would contain
    /// (`wibl-format.md` §3 "since", §5).
    case versionCannotHold(version: String, type: String, since: String, count: Int)
    /// A serialiser version the processing does not support (1.0 … 1.3).
    case unsupportedVersion(major: UInt16, minor: UInt16)
    /// The edit asks for nothing.
    case nothingToDo

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .notWIBL(let error):
            error.description
        case .truncatedTail(let offset, let declared, let available):
            "the file ends inside a packet (header at byte \(offset) declares \(declared) bytes, \(available) remain): new packets appended after it would be read as part of it. Cut the file at byte \(offset) first, or edit without adding packets."
        case .versionCannotHold(let version, let type, let since, let count):
            "serialiser version \(version) cannot hold the \(count) \(type) packet(s) of the output (\(type) exists since \(since))."
        case .unsupportedVersion(let major, let minor):
            "serialiser version \(major).\(minor) is not supported: use 1.0, 1.1, 1.2 or 1.3."
        case .nothingToDo:
            "nothing to edit: give at least one change."
        }
    }
}
