import ArgumentParser
import AsyncHTTPClient
import Logging
import NIOCore
import S3
import WIBLConversion
import WIBLGeoJSON
import WIBLSystem

/// `wibl s3`: copy, list, delete and inspect objects in S3 (or an S3-compatible endpoint).
struct S3Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "Copy, list, delete and inspect objects in S3.",
        discussion: """
            Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or \
            from a profile in ~/.aws/credentials (--profile, AWS_PROFILE). The region comes from --region, \
            AWS_REGION, AWS_DEFAULT_REGION or the profile, else us-east-1. --endpoint-url (or \
            AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL) points at a local S3 such as moto or MinIO.
            """,
        subcommands: [S3CopyCommand.self, S3ListCommand.self, S3RemoveCommand.self, S3TagsCommand.self]
    )
}

/// Options shared by every `wibl s3` subcommand.
struct S3Options: ParsableArguments {
    @Option(name: .customLong("endpoint-url"), help: "S3 endpoint, e.g. http://127.0.0.1:9000 (default: AWS).")
    var endpointURL: String?

    @Option(help: "Region of the bucket (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, us-east-1).")
    var region: String?

    @Option(help: "Profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, then 'default').")
    var profile: String?

    @Flag(name: .shortAndLong, help: "Log each request to standard error.")
    var verbose = false

    @OptionGroup var network: NetworkOptions

    /// Runs `body` with a client built from the options and the process environment.
    func withClient<T>(_ body: (S3Client) async throws -> T) async throws -> T {
        try await network.withHTTPClient { http in try await body(try makeClient(httpClient: http)) }
    }

    /// Builds the client from the options and the process environment.
    func makeClient(httpClient: HTTPClient) throws -> S3Client {
        let environment = Environment.all()
        let resolver = AWSConfigurationResolver(environment: environment, profile: profile)
        let region = try resolver.region(option: region)
        let endpoint = try resolver.endpoint(option: endpointURL, region: region)
        var logger = Logger(label: "wibl.s3") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel =
            verbose ? .debug : Logger.Level(rawValue: (environment["LOG_LEVEL"] ?? "").lowercased()) ?? .warning
        return S3Client(
            httpClient: httpClient, credentialsProvider: DefaultCredentialsChain(resolver: resolver), region: region,
            endpoint: endpoint, logger: logger, operationTimeout: network.deadline)
    }
}

/// `s3://bucket/key` split into its parts.
struct S3Location: Equatable, CustomStringConvertible {
    var bucket: String
    var key: String

    /// Parses `s3://bucket[/key]`; `nil` for anything else.
    init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst(5)
        let slash = rest.firstIndex(of: "/")
        bucket = String(rest[..<(slash ?? rest.endIndex)])
        key = slash.map { String(rest[rest.index(after: $0)...]) } ?? ""
        guard !bucket.isEmpty else { return nil }
    }

    var description: String { key.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(key)" }
}

struct S3CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Upload a file to S3, or download an object to a file.",
        discussion: """
            One of SOURCE and DESTINATION is a local path, the other s3://bucket/key. A destination ending \
            in '/' (or an existing folder) receives the source's file name. Downloads appear only when \
            complete. Examples:
              wibl s3 cp log.wibl s3://wibl-incoming/2024/log.wibl --tag SourceID=UNHJHC-1
              wibl s3 cp s3://wibl-staging/2024/log.json ./
            """
    )

    @Argument(help: "Local file or s3://bucket/key.")
    var source: String

    @Argument(help: "s3://bucket/key or local path.")
    var destination: String

    @Option(
        name: .customLong("tag"),
        help: ArgumentHelp("Tag the uploaded object (repeatable, at most 10).", valueName: "KEY=VALUE"))
    var tags: [String] = []

    @Option(help: "Content-Type of the uploaded object (default: by file extension).")
    var contentType: String?

    @OptionGroup var options: S3Options

    func validate() throws {
        let sourceIsS3 = source.hasPrefix("s3://")
        let destinationIsS3 = destination.hasPrefix("s3://")
        guard sourceIsS3 != destinationIsS3 else {
            throw ValidationError("exactly one of SOURCE and DESTINATION must be an s3:// location.")
        }
        for text in [source, destination] where text.hasPrefix("s3://") {
            guard S3Location(text) != nil else { throw ValidationError("'\(text)' is not s3://bucket/key.") }
        }
        if sourceIsS3, S3Location(source)?.key.isEmpty ?? true {
            throw ValidationError("'\(source)' names no object key.")
        }
        if sourceIsS3, !tags.isEmpty || contentType != nil {
            throw ValidationError("--tag and --content-type apply to uploads only.")
        }
        _ = try parseTags(tags)
    }

    func run() async throws {
        try await reportingErrors {
            try await options.withClient { client in try await copy(client) }
        }
    }

    private func copy(_ client: S3Client) async throws {
        if var target = S3Location(destination) {
            if target.key.isEmpty || target.key.hasSuffix("/") { target.key += lastPathComponent(source) }
            let type = contentType ?? guessContentType(source)
            try await client.putObject(
                bucket: target.bucket, key: target.key, body: .file(path: source), contentType: type,
                tags: try parseTags(tags))
            print("upload: \(source) to \(target)")
        } else if let object = S3Location(source) {
            var path = destination
            if path.hasSuffix("/") || isDirectory(path) {
                path += (path.hasSuffix("/") ? "" : "/") + lastPathComponent(object.key)
            }
            // Logger files and their GeoJSON are megabytes: collect (capped), then write atomically.
            let downloaded = try await client.getObject(
                bucket: object.bucket, key: object.key, collectUpTo: 1 << 30)
            try AtomicFile.write(to: path) { sink in try sink.write(Array(downloaded.body.readableBytesView)) }
            print("download: \(object) to \(path)")
        }
    }
}

struct S3ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List every object under s3://bucket[/prefix] (all pages).",
        discussion: "Prints one line per object: last-modified time, size in bytes, key."
    )

    @Argument(help: "s3://bucket or s3://bucket/prefix.")
    var location: String

    @OptionGroup var options: S3Options

    func validate() throws {
        guard S3Location(location) != nil else { throw ValidationError("'\(location)' is not s3://bucket[/prefix].") }
    }

    func run() async throws {
        try await reportingErrors {
            guard let target = S3Location(location) else { throw ValidationError("bad location") }
            try await options.withClient { client in try await list(target, client) }
        }
    }

    private func list(_ target: S3Location, _ client: S3Client) async throws {
        var count = 0
        for try await page in client.listObjectsPages(bucket: target.bucket, prefix: target.key) {
            for object in page.objects {
                let modified = (object.lastModified ?? "").replacingFirst("T", with: " ").prefix(19)
                let size = String(object.size)
                print("\(modified) \(String(repeating: " ", count: max(0, 12 - size.count)))\(size) \(object.key)")
                count += 1
            }
        }
        if count == 0 { writeStandardError("No objects under \(target).\n") }
    }
}

struct S3RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete an object.",
        discussion: "Deleting a key that does not exist succeeds, as in S3 itself."
    )

    @Argument(help: "s3://bucket/key.")
    var location: String

    @OptionGroup var options: S3Options

    func validate() throws {
        guard let target = S3Location(location), !target.key.isEmpty else {
            throw ValidationError("'\(location)' is not s3://bucket/key.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            guard let target = S3Location(location) else { throw ValidationError("bad location") }
            try await options.withClient { try await $0.deleteObject(bucket: target.bucket, key: target.key) }
            print("delete: \(target)")
        }
    }
}

struct S3TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Show an object's tags (one KEY=VALUE per line), or replace them with --set.",
    )

    @Argument(help: "s3://bucket/key.")
    var location: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Replace the tag set (repeatable, at most 10).", valueName: "KEY=VALUE"))
    var newTags: [String] = []

    @OptionGroup var options: S3Options

    func validate() throws {
        guard let target = S3Location(location), !target.key.isEmpty else {
            throw ValidationError("'\(location)' is not s3://bucket/key.")
        }
        _ = try parseTags(newTags)
    }

    func run() async throws {
        try await reportingErrors {
            guard let target = S3Location(location) else { throw ValidationError("bad location") }
            try await options.withClient { client in try await tags(target, client) }
        }
    }

    private func tags(_ target: S3Location, _ client: S3Client) async throws {
        if !newTags.isEmpty {
            try await client.putObjectTagging(bucket: target.bucket, key: target.key, tags: try parseTags(newTags))
        }
        for tag in try await client.getObjectTagging(bucket: target.bucket, key: target.key) {
            print("\(tag.key)=\(tag.value)")
        }
    }
}

// MARK: - Helpers

/// `KEY=VALUE` strings → tags.
func parseTags(_ texts: [String]) throws -> [S3Tag] {
    let tags = try texts.map { text -> S3Tag in
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("tag '\(text)' is not KEY=VALUE.")
        }
        return S3Tag(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }
    guard tags.count <= 10 else { throw ValidationError("S3 allows at most 10 tags per object.") }
    return tags
}

/// A `Content-Type` for common pipeline files.
func guessContentType(_ path: String) -> String? {
    let lower = path.lowercased()
    if lower.hasSuffix(".json") || lower.hasSuffix(".geojson") { return "application/json" }
    if lower.hasSuffix(".wibl") { return "application/octet-stream" }
    return nil
}

func lastPathComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

/// The process environment as a dictionary.
extension String {
    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let position = firstIndex(of: target) else { return self }
        return String(self[..<position]) + replacement + String(self[self.index(after: position)...])
    }
}
