/// The sections of an AWS shared configuration file (`~/.aws/credentials`, `~/.aws/config`).
///
/// AWS CLI "Configuration and credential file settings": `[section]` headers, `key = value`
/// lines, comments starting with `#` or `;`. Indented lines continue a nested setting (such as
/// `s3 =` followed by `  addressing_style = path`); they are ignored here. Keys are matched
/// case-sensitively; section names keep their text between the brackets, trimmed.
public struct INIFile: Sendable, Hashable {
    /// Section name → key → value. Later duplicates win, as in the AWS CLI.
    public var sections: [String: [String: String]]

    /// Parses the text of a file.
    public init(text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let isIndented = line.first == " " || line.first == "\t"
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if !isIndented, trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
                let name = String(trimmed.dropFirst().dropLast().trimmingSpaces())
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard !isIndented, let section = current, let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals].trimmingSpaces())
            var value = trimmed[trimmed.index(after: equals)...].trimmingSpaces()
            // An inline comment needs a space before '#' or ';' (so secrets containing them survive).
            for marker in [" #", " ;", "\t#", "\t;"] {
                if let range = value.firstRange(of: marker) { value = value[..<range.lowerBound].trimmingSpaces() }
            }
            sections[section, default: [:]][key] = String(value)
        }
        self.sections = sections
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}
