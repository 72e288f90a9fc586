import Testing
import WIBLSystem
import WIBLTestSupport

/// The README's "Every command and its options" list against each command's `--help`: every
/// command is listed, and each lists exactly the long options its help shows.
@Suite struct ReadmeOptionsTests {
    /// The README's lines `wibl COMMAND…` between the `options:begin` and `options:end` markers:
    /// command path (e.g. `s3 cp`) → the long options the line names.
    static func readmeOptions() throws -> [String: Set<String>] {
        let readme = String(decoding: try readWholeFile(Fixtures.path("../README.md")), as: UTF8.self)
        let begin = try #require(readme.firstRange(of: "<!-- options:begin -->"))
        let end = try #require(readme.firstRange(of: "<!-- options:end -->"))
        var result: [String: Set<String>] = [:]
        for line in readme[begin.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("wibl ") {
            let words = line.split(separator: " ").dropFirst()
            let path = words.prefix { $0.allSatisfy { $0.isLowercase || $0.isNumber } }.joined(separator: " ")
            result[path] = longOptions(in: String(line))
        }
        return result
    }

    /// Every `--name` in a text.
    static func longOptions(in text: String) -> Set<String> {
        var found: Set<String> = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "--") {
            let name = rest[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !name.isEmpty { found.insert("--" + name) }
            rest = rest[start.upperBound...]
        }
        return found
    }

    /// The lines of a help section (`OPTIONS:`, `SUBCOMMANDS:`), up to the next blank line.
    static func section(_ title: String, of help: String) -> [Substring] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == title }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.trimmingPrefix(" ").isEmpty })
    }

    /// The leaf commands (with their paths) below `path`, from `wibl … --help`.
    static func leafCommands(_ path: [String] = []) throws -> [[String]] {
        let help = try runWIBL(path + ["--help"]).stdout
        let names = section("SUBCOMMANDS:", of: help).compactMap { line -> String? in
            // Names start two spaces in; wrapped descriptions are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        if names.isEmpty { return [path] }
        return try names.filter { $0 != "help" }.flatMap { try leafCommands(path + [$0]) }
    }

    @Test func everyCommandIsListedWithExactlyTheOptionsOfItsHelp() throws {
        let readme = try Self.readmeOptions()
        let commands = try Self.leafCommands()
        #expect(commands.count >= 11, "found \(commands)")
        for command in commands {
            let name = command.joined(separator: " ")
            guard let listed = readme[name] else {
                Issue.record("`wibl \(name)` is missing from the README's option list")
                continue
            }
            let help = try runWIBL(command + ["--help"]).stdout
            let shown = Self.longOptions(in: Self.section("OPTIONS:", of: help).joined(separator: "\n"))
                .subtracting(["--help", "--version"])
            #expect(listed == shown, "wibl \(name): README \(listed.sorted()), --help \(shown.sorted())")
        }
        let extra = Set(readme.keys).subtracting(commands.map { $0.joined(separator: " ") })
        #expect(extra.isEmpty, "the README lists commands that do not exist: \(extra.sorted())")
    }
}
