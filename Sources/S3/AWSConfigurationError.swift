/// Why the AWS configuration (credentials, region, endpoint) could not be resolved.
public enum AWSConfigurationError: Error, Sendable, Hashable {
    /// No source in the chain had credentials. `searched` lists what was tried, in order.
    case noCredentials(searched: [String])
    /// Only one of `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` is set.
    case incompleteEnvironment(missing: String)
    /// A profile named explicitly (option or `AWS_PROFILE`) is in neither shared file.
    case profileNotFound(profile: String, files: [String])
    /// The profile has an access key but no secret, or the reverse.
    case incompleteProfile(profile: String, file: String, missing: String)
    /// A shared file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The endpoint URL is not `http(s)://host[:port][/path]`.
    case invalidEndpoint(url: String, reason: String)
}

extension AWSConfigurationError: CustomStringConvertible {
    /// A sentence saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .noCredentials(let searched):
            "no AWS credentials found (looked in: \(searched.joined(separator: ", "))). Set AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY, or add a profile to ~/.aws/credentials and pass --profile"
        case .incompleteEnvironment(let missing):
            "the environment sets only half of a key pair: \(missing) is missing"
        case .profileNotFound(let profile, let files):
            "profile '\(profile)' is not in \(files.joined(separator: " or "))"
        case .incompleteProfile(let profile, let file, let missing):
            "profile '\(profile)' in \(file) has no \(missing)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidEndpoint(let url, let reason):
            "invalid endpoint URL '\(url)': \(reason). Expected http(s)://host[:port]"
        }
    }
}
