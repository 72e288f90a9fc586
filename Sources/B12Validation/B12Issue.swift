/// One problem found in a B-12 document: where, what, and whether the input caused it.
public struct B12Issue: Sendable, Hashable, CustomStringConvertible {
    /// Who is most likely responsible for a problem (`geojson-b12.md` §7, G8).
    public enum Cause: String, Sendable, Hashable {
        /// The logger's input: its unique id (not a UUID) or its JSON metadata (wrongly typed or
        /// invalid values, passed through unchanged as the original does). The conversion itself
        /// is correct; the fix is in the logger's configuration or metadata.
        case input
        /// The document's own structure: a writer bug, or a file not made by `wibl`.
        case document
    }

    /// A JSON path such as `properties.trustedNode.uniqueVesselID` or `features[12].properties.time`.
    public var path: String
    /// What is wrong, as a sentence without the path.
    public var message: String
    /// Who is most likely responsible.
    public var cause: Cause

    /// Creates an issue.
    public init(path: String, message: String, cause: Cause = .document) {
        self.path = path
        self.message = message
        self.cause = cause
    }

    /// `path: message`, and for input-caused issues a note saying so.
    public var description: String {
        switch cause {
        case .document: "\(path): \(message)"
        case .input:
            "\(path): \(message) This comes from the logger's input (its unique id or JSON metadata), not from the conversion."
        }
    }
}
