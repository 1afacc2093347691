public import RdKafka

public import struct Foundation.Date

/// Signs AWS MSK IAM tokens: a SigV4-presigned `kafka-cluster:Connect` URL for
/// `kafka.<region>.amazonaws.com`, base64url-encoded without padding, as AWS's
/// `aws-msk-iam-sasl-signer-*` libraries make them.
///
/// The URL's query holds `Action=kafka-cluster:Connect`, `X-Amz-Algorithm`, `X-Amz-Credential`,
/// `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders=host`, `X-Amz-Security-Token` when the
/// credentials have a session token, and `X-Amz-Signature`, byte for byte as AWS's Python signer
/// writes them; then `User-Agent`, which is not signed and names this library. MSK checks the
/// signature with the secret it knows for the access key, and that the token has not expired.
///
/// ```swift
/// let signer = MSKIAMTokenSigner(region: "eu-west-1")
/// let token = try signer.token(credentials: credentials, signingTime: Date())
/// ```
public struct MSKIAMTokenSigner: Sendable, Hashable {
    /// The token lifetime AWS's signers use: 900 seconds.
    public static let defaultLifetime: Duration = .seconds(900)
    /// The longest lifetime SigV4 allows a presigned URL: 7 days.
    public static let maximumLifetime: Duration = .seconds(604_800)

    /// The cluster's region, such as `us-east-1`.
    public var region: String
    /// How long a token is valid after signing (`X-Amz-Expires`), in whole seconds.
    public var lifetime: Duration
    /// The `User-Agent` query parameter appended after the signature.
    public var userAgent: String

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - region: The cluster's region (lower-case letters, digits and `-`).
    ///   - lifetime: How long each token is valid; 1 second to 7 days, whole seconds. AWS's
    ///     signers use 900 seconds.
    ///   - userAgent: The `User-Agent` parameter; not signed.
    public init(region: String, lifetime: Duration = defaultLifetime, userAgent: String = "swift-rdkafka") {
        self.region = region
        self.lifetime = lifetime
        self.userAgent = userAgent
    }

    /// The host MSK's IAM tokens are signed for: `kafka.<region>.amazonaws.com`.
    public var host: String { "kafka.\(region).amazonaws.com" }

    /// A token for `credentials`, signed at `signingTime`.
    ///
    /// The token expires `lifetime` after `signingTime` (whole seconds), or when the credentials
    /// expire if that is sooner; its principal is the access key ID.
    ///
    /// - Parameters:
    ///   - credentials: The AWS credentials to sign with.
    ///   - signingTime: The signing time (`X-Amz-Date`); fractions of a second are dropped.
    /// - Returns: The token for librdkafka's OAUTHBEARER login.
    /// - Throws: ``MSKIAMSigningError`` for a region or lifetime out of range, empty credentials,
    ///   or credentials that expired before `signingTime`.
    public func token(credentials: AWSCredentials, signingTime: Date) throws(MSKIAMSigningError) -> OAuthBearerToken {
        let url = try signedURL(credentials: credentials, signingTime: signingTime)
        let seconds = Int64(signingTime.timeIntervalSince1970.rounded(.down))
        var expiry = Date(timeIntervalSince1970: Double(seconds + lifetime.components.seconds))
        if let expiration = credentials.expiration, expiration < expiry {
            expiry = expiration
        }
        return OAuthBearerToken(value: Secret(Self.base64URL(Array(url.utf8))), expiry: expiry, principal: credentials.accessKeyID)
    }

    /// The presigned URL a token encodes, `User-Agent` included.
    ///
    /// - Parameters:
    ///   - credentials: The AWS credentials to sign with.
    ///   - signingTime: The signing time; fractions of a second are dropped.
    /// - Returns: `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&…`.
    /// - Throws: ``MSKIAMSigningError`` as ``token(credentials:signingTime:)`` does.
    public func signedURL(credentials: AWSCredentials, signingTime: Date) throws(MSKIAMSigningError) -> String {
        try validate(credentials: credentials, signingTime: signingTime)
        let presigner = SigV4QueryPresigner(
            host: host, service: "kafka-cluster", region: region, expiresSeconds: Int(lifetime.components.seconds))
        let url = try presigner.presignedURL(
            operationParameters: [("Action", "kafka-cluster:Connect")], credentials: credentials,
            signingTime: SigV4Timestamp(secondsSince1970: Int64(signingTime.timeIntervalSince1970.rounded(.down))))
        return url + "&User-Agent=" + SigV4QueryPresigner.percentEncode(userAgent)
    }

    private func validate(credentials: AWSCredentials, signingTime: Date) throws(MSKIAMSigningError) {
        let regionIsValid =
            !region.isEmpty && region.utf8.count <= 64
            && region.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "-")
            }
        guard regionIsValid else {
            throw MSKIAMSigningError(
                reason: "'\(region)' is not an AWS region name (lower-case letters, digits and '-', such as us-east-1)")
        }
        guard lifetime.components.attoseconds == 0, lifetime >= .seconds(1), lifetime <= Self.maximumLifetime else {
            throw MSKIAMSigningError(reason: "a token lifetime of \(lifetime) is not a whole number of seconds from 1 s to 7 days")
        }
        guard signingTime.timeIntervalSince1970.isFinite, abs(signingTime.timeIntervalSince1970) < 1e11 else {
            throw MSKIAMSigningError(reason: "the signing time is not a representable date")
        }
        guard !credentials.accessKeyID.isEmpty, !credentials.secretAccessKey.isEmpty else {
            throw MSKIAMSigningError(reason: "the AWS credentials have an empty access key ID or secret access key")
        }
        if let expiration = credentials.expiration, expiration <= signingTime {
            throw MSKIAMSigningError(
                reason:
                    "the AWS credentials for \(credentials.accessKeyID) expired at \(expiration), before the signing time \(signingTime)")
        }
    }

    /// Base64url (RFC 4648 §5) without padding, as the Python signer strips it.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = UInt32(0)
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0...chunk.count { out.append(alphabet[Int(value >> (18 - 6 * position) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
