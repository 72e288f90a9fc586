/// Resolves the profile, region, endpoint and credentials the way the AWS CLI and SDKs do, from an
/// explicit environment (so tests can pass their own) and the shared files.
///
/// Sources (cloud.md §3; AWS SDKs and Tools Reference Guide, "Standardized credential providers",
/// "AWS Region", "Service-specific endpoints"):
/// - profile: `--profile` option → `AWS_PROFILE` → `default`;
/// - region: option → `AWS_REGION` → `AWS_DEFAULT_REGION` → `region` of the profile in the config
///   file (`[profile name]`, or `[default]`) → `us-east-1`;
/// - endpoint: option → `AWS_ENDPOINT_URL_S3` → `AWS_ENDPOINT_URL` → `https://s3.<region>.amazonaws.com`;
/// - credentials: explicit values → environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
///   `AWS_SESSION_TOKEN`) → shared credentials file (`AWS_SHARED_CREDENTIALS_FILE` or
///   `~/.aws/credentials`, then the config file). As in the AWS CLI, a `--profile` option given
///   explicitly outranks the environment's keys.
public struct AWSConfigurationResolver: Sendable {
    /// The region used when nothing names one.
    public static let defaultRegion = "us-east-1"

    /// The process environment (or a test's).
    public var environment: [String: String]
    /// The profile named by an option (`--profile`), if any.
    public var profileOption: String?

    /// Creates a resolver.
    ///
    /// - Parameters:
    ///   - environment: The environment variables to read.
    ///   - profile: The profile named on the command line, if any.
    public init(environment: [String: String], profile: String? = nil) {
        self.environment = environment
        self.profileOption = profile
    }

    /// The profile in use: the option, else `AWS_PROFILE`, else `default`.
    public var profileName: String {
        if let profileOption, !profileOption.isEmpty { return profileOption }
        if let name = environment["AWS_PROFILE"], !name.isEmpty { return name }
        return "default"
    }

    /// Whether the profile was named explicitly (so that a missing profile is an error).
    var isProfileExplicit: Bool {
        (profileOption.map { !$0.isEmpty } ?? false) || !(environment["AWS_PROFILE"] ?? "").isEmpty
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    public var credentialsFilePath: String? {
        if let path = environment["AWS_SHARED_CREDENTIALS_FILE"], !path.isEmpty { return expandHome(path) }
        return LocalFile.homeDirectory(environment: environment).map { $0 + "/.aws/credentials" }
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    public var configFilePath: String? {
        if let path = environment["AWS_CONFIG_FILE"], !path.isEmpty { return expandHome(path) }
        return LocalFile.homeDirectory(environment: environment).map { $0 + "/.aws/config" }
    }

    func expandHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = LocalFile.homeDirectory(environment: environment) else { return path }
        return home + path.dropFirst()
    }

    func load(_ path: String?) throws(AWSConfigurationError) -> INIFile? {
        guard let path else { return nil }
        do {
            guard let bytes = try LocalFile.readSmallFile(path) else { return nil }
            return INIFile(text: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw .unreadableFile(path: error.path, reason: error.reason)
        }
    }

    /// The profile's section of the config file: `[profile name]`, or `[default]` for `default`.
    func configSection(_ file: INIFile) -> [String: String]? {
        let name = profileName
        if let section = file.sections["profile \(name)"] { return section }
        return name == "default" ? file.sections["default"] : nil
    }

    /// The region to sign for and to name in CreateBucket.
    ///
    /// - Parameter option: The region given on the command line, if any.
    /// - Throws: ``AWSConfigurationError/unreadableFile(path:reason:)`` if the config file exists but
    ///   cannot be read.
    public func region(option: String? = nil) throws(AWSConfigurationError) -> String {
        for candidate in [option, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        if let config = try load(configFilePath), let region = configSection(config)?["region"], !region.isEmpty {
            return region
        }
        return Self.defaultRegion
    }

    /// The endpoint requests go to.
    ///
    /// - Parameters:
    ///   - option: The endpoint URL given on the command line, if any.
    ///   - region: The resolved region (for the AWS default endpoint).
    /// - Throws: ``AWSConfigurationError/invalidEndpoint(url:reason:)``.
    public func endpoint(option: String? = nil, region: String) throws(AWSConfigurationError) -> S3Endpoint {
        for candidate in [option, environment["AWS_ENDPOINT_URL_S3"], environment["AWS_ENDPOINT_URL"]] {
            if let candidate, !candidate.isEmpty { return try S3Endpoint(url: candidate) }
        }
        return .aws(region: region)
    }

    /// Credentials and where they came from.
    public struct ResolvedCredentials: Sendable, Equatable {
        /// The credentials.
        public var credentials: AWSCredentials
        /// `explicit`, `environment`, or `profile NAME in PATH`.
        public var source: String
    }

    /// Runs the credentials chain once.
    ///
    /// - Parameter explicit: Credentials given directly (highest priority).
    /// - Throws: ``AWSConfigurationError`` when no source has credentials or a source is inconsistent.
    public func resolveCredentials(explicit: AWSCredentials? = nil) throws(AWSConfigurationError) -> ResolvedCredentials
    {
        if let explicit { return ResolvedCredentials(credentials: explicit, source: "explicit") }
        var searched: [String] = []
        let profileFromOption = profileOption.map { !$0.isEmpty } ?? false
        if !profileFromOption {
            let key = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            switch (key, secret) {
            case (let key?, let secret?):
                let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
                return ResolvedCredentials(
                    credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token),
                    source: "environment")
            case (nil, .some): throw .incompleteEnvironment(missing: "AWS_ACCESS_KEY_ID")
            case (.some, nil): throw .incompleteEnvironment(missing: "AWS_SECRET_ACCESS_KEY")
            case (nil, nil): searched.append("environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
            }
        }
        let name = profileName
        var files: [String] = []
        // The credentials file uses [name]; the config file [profile name] (and [default]).
        for (path, isConfig) in [(credentialsFilePath, false), (configFilePath, true)] {
            guard let path else { continue }
            files.append(path)
            guard let file = try load(path) else { continue }
            let section = isConfig ? configSection(file) : file.sections[name]
            guard let section else { continue }
            let key = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
            switch (key, secret) {
            case (let key?, let secret?):
                let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
                return ResolvedCredentials(
                    credentials: AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token),
                    source: "profile \(name) in \(path)")
            case (nil, .some): throw .incompleteProfile(profile: name, file: path, missing: "aws_access_key_id")
            case (.some, nil): throw .incompleteProfile(profile: name, file: path, missing: "aws_secret_access_key")
            case (nil, nil):
                if isProfileExplicit, !isConfig, file.sections[name] != nil {
                    // The section exists but holds other settings (role_arn, sso_…): not supported.
                    searched.append("profile \(name) in \(path) (no access keys)")
                }
            }
        }
        if isProfileExplicit { throw .profileNotFound(profile: name, files: files) }
        searched.append(contentsOf: files.map { "profile \(name) in \($0)" })
        throw .noCredentials(searched: searched)
    }
}

/// A source of credentials for signing, asked before every request.
public protocol AWSCredentialsProvider: Sendable {
    /// The credentials to sign the next request with.
    ///
    /// - Throws: ``AWSConfigurationError`` when none are available.
    func credentials() async throws -> AWSCredentials
}

/// Always the same credentials.
public struct StaticCredentialsProvider: AWSCredentialsProvider {
    let value: AWSCredentials

    /// Wraps fixed credentials.
    public init(_ credentials: AWSCredentials) { value = credentials }

    /// The fixed credentials.
    public func credentials() async throws -> AWSCredentials { value }
}

/// The default chain (explicit → environment → shared files), evaluated on every call so that a
/// rotated credentials file is picked up.
public struct DefaultCredentialsChain: AWSCredentialsProvider {
    /// The resolver holding the environment and profile.
    public var resolver: AWSConfigurationResolver
    /// Credentials given directly, if any.
    public var explicit: AWSCredentials?

    /// Creates a chain.
    public init(resolver: AWSConfigurationResolver, explicit: AWSCredentials? = nil) {
        self.resolver = resolver
        self.explicit = explicit
    }

    /// The first credentials found.
    public func credentials() async throws -> AWSCredentials {
        try resolver.resolveCredentials(explicit: explicit).credentials
    }
}
