import WIBLSystem

/// The DCDB provider token (`x-auth-token`, `cloud.md` §6). Never printed: its description,
/// debug description and mirror all read `<redacted>`.
public struct AuthToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; only the DCDB client reads it.
    let secret: String

    /// Wraps a token, stripping surrounding whitespace.
    ///
    /// - Throws: ``DCDBError/missingAuthToken(source:)`` when nothing is left.
    public init(_ token: String, source: String = "the token") throws(DCDBError) {
        let trimmed = token.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .missingAuthToken(source: source) }
        self.secret = trimmed
    }

    /// Reads the token from the environment variable `name` (default `PROVIDER_AUTH`), whitespace stripped.
    ///
    /// - Throws: ``DCDBError/missingAuthToken(source:)`` when the variable is unset or blank.
    public static func fromEnvironment(_ name: String = "PROVIDER_AUTH") throws(DCDBError) -> AuthToken {
        guard let value = Environment.get(name) else { throw .missingAuthToken(source: "environment variable \(name)") }
        return try AuthToken(value, source: "environment variable \(name)")
    }

    /// Reads the token from the first line of the file at `path` (as `ingest-external-<PROVIDER>.txt`).
    ///
    /// - Throws: ``DCDBError/unreadableAuthFile(path:reason:)`` when the file cannot be read,
    ///   ``DCDBError/missingAuthToken(source:)`` when its first line is blank.
    public static func fromFile(_ path: String) throws(DCDBError) -> AuthToken {
        // A token file is one short line; refuse to read more than 64 KB of anything else.
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: 65_536)
        } catch let error as SystemError {
            throw .unreadableAuthFile(path: path, reason: SystemError.reason(error.code))
        } catch {
            throw .unreadableAuthFile(path: path, reason: "larger than 64 KB: not a token file")
        }
        let firstLine = bytes.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        return try AuthToken(String(decoding: firstLine, as: UTF8.self), source: "the first line of \(path)")
    }

    /// `<redacted>`.
    public var description: String { "<redacted>" }
    /// `<redacted>`.
    public var debugDescription: String { "<redacted>" }
    /// A mirror with no children, so `dump` shows nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Replaces every occurrence of the token in `text` with `<redacted>`.
    public func redact(_ text: String) -> String {
        guard !secret.isEmpty, text.contains(secret) else { return text }
        return text.replacingAll(secret, with: "<redacted>")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        let source = Array(utf8)
        let needle = Array(target.utf8)
        guard !needle.isEmpty, source.count >= needle.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if index + needle.count <= source.count, source[index..<(index + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                out.append(source[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
