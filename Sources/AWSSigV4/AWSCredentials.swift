/// An AWS access key pair, optionally with the session token of temporary credentials.
///
/// The secret access key and the session token never appear in ``description`` or
/// ``debugDescription``: both print `<redacted>` in their place, so interpolating credentials into
/// a log message or an error cannot leak them (`STYLE.md`, "Secrets").
public struct AWSCredentials: Sendable, Equatable {
    /// The access key ID (`AKIA…` for long-term keys, `ASIA…` for temporary ones). Not secret.
    public var accessKeyID: String
    /// The secret access key. Used only to derive the signing key; never logged.
    public var secretAccessKey: String
    /// The session token of temporary credentials (STS, Lambda execution role), sent and signed as
    /// `X-Amz-Security-Token` (cloud.md §2 item 6). Never logged.
    public var sessionToken: String?

    /// Creates credentials from their parts.
    ///
    /// - Parameters:
    ///   - accessKeyID: The access key ID.
    ///   - secretAccessKey: The secret access key.
    ///   - sessionToken: The session token, for temporary credentials only.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// `AWSCredentials(accessKeyID: AKID…, secretAccessKey: <redacted>[, sessionToken: <redacted>])`.
    public var description: String {
        var text = "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>"
        if sessionToken != nil { text += ", sessionToken: <redacted>" }
        return text + ")"
    }

    /// The same as ``description``: the secrets stay redacted in debug output too.
    public var debugDescription: String { description }
}
