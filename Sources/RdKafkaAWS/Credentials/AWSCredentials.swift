public import RdKafka

public import struct Foundation.Date

/// AWS credentials: an access key, its secret, and for temporary credentials a session token and
/// an expiry.
///
/// The secret access key and the session token are `Secret`s: neither appears in
/// ``description``, a dump, a log line or an error. The access key ID is not secret (AWS writes it
/// into every signed request and into CloudTrail), so descriptions show it.
public struct AWSCredentials: Sendable, Hashable {
    /// The access key ID (`AKIA…` for long-term keys, `ASIA…` for temporary ones).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: Secret
    /// The session token of temporary credentials; `nil` for long-term keys.
    public var sessionToken: Secret?
    /// When temporary credentials stop working; `nil` for credentials that do not expire.
    public var expiration: Date?

    /// Creates credentials.
    ///
    /// - Parameters:
    ///   - accessKeyID: The access key ID.
    ///   - secretAccessKey: The secret access key.
    ///   - sessionToken: The session token of temporary credentials, if any.
    ///   - expiration: When temporary credentials expire, if they do.
    public init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

extension AWSCredentials: CustomStringConvertible {
    /// The access key ID, whether there is a session token, and the expiry; never a secret.
    public var description: String {
        var text = "AWSCredentials(accessKeyID: \(accessKeyID), sessionToken: \(sessionToken == nil ? "none" : "<redacted>")"
        if let expiration { text += ", expiration: \(expiration)" }
        return text + ")"
    }
}
