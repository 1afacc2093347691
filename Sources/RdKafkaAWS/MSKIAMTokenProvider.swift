public import Foundation
public import RdKafka
import Synchronization

/// OAUTHBEARER tokens for AWS MSK IAM: credentials from a provider, signed by
/// ``MSKIAMTokenSigner`` each time librdkafka asks.
///
/// librdkafka asks for a token at start and again at 80 % of the last one's lifetime; each call
/// signs a new one. Credentials are fetched once and kept until ``refreshMargin`` before they
/// expire (credentials without an expiry are kept for good), and a token never outlives the
/// credentials that signed it, so librdkafka asks again before they expire.
///
/// `SecurityConfiguration/awsMSKIAM(region:credentials:tokenLifetime:)` builds one; use
/// it directly with `SASLConfiguration/oauthBearer(_:)` for your own TLS settings:
///
/// ```swift
/// let provider = MSKIAMTokenProvider(region: "eu-west-1", credentials: AWSCredentialsChain.default())
/// configuration.security = SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearer { _ in try await provider.token() })
/// ```
public final class MSKIAMTokenProvider: Sendable {
    /// The signer each token comes from.
    public let signer: MSKIAMTokenSigner
    /// Where credentials come from.
    public let credentialsProvider: any AWSCredentialsProvider
    /// How long before they expire credentials are fetched again.
    public let refreshMargin: Duration
    private let now: @Sendable () -> Date
    private let cache: Mutex<CredentialsCache>

    /// Creates a provider signing with `signer`.
    ///
    /// - Parameters:
    ///   - signer: The region, token lifetime and user agent.
    ///   - credentials: Where credentials come from.
    ///   - refreshMargin: How long before their expiry credentials are fetched again; 5 minutes by
    ///     default, as AWS's SDKs do.
    ///   - now: The clock signing times come from; the system's by default.
    public init(
        signer: MSKIAMTokenSigner, credentials: any AWSCredentialsProvider, refreshMargin: Duration = .seconds(300),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.signer = signer
        self.credentialsProvider = credentials
        self.refreshMargin = refreshMargin
        self.now = now
        self.cache = Mutex(CredentialsCache(margin: refreshMargin))
    }

    /// Creates a provider for `region`.
    ///
    /// - Parameters:
    ///   - region: The cluster's region, such as `us-east-1`.
    ///   - credentials: Where credentials come from; the default chain unless given.
    ///   - tokenLifetime: How long each token is valid; AWS's signers use 900 seconds.
    public convenience init(
        region: String, credentials: any AWSCredentialsProvider = AWSCredentialsChain.default(),
        tokenLifetime: Duration = MSKIAMTokenSigner.defaultLifetime
    ) {
        self.init(signer: MSKIAMTokenSigner(region: region, lifetime: tokenLifetime), credentials: credentials)
    }

    /// A newly signed token.
    ///
    /// - Returns: The token, expiring after the signer's lifetime or with the credentials, whichever
    ///   is first.
    /// - Throws: The credentials provider's error (``AWSCredentialsError`` for the built-in ones) or
    ///   ``MSKIAMSigningError``; neither shows a secret.
    public func token() async throws -> OAuthBearerToken {
        let credentials = try await currentCredentials()
        return try signer.token(credentials: credentials, signingTime: now())
    }

    /// The kept credentials while they have more than `refreshMargin` left, else new ones.
    private func currentCredentials() async throws -> AWSCredentials {
        let time = now()
        switch cache.withLock({ $0.next(at: time) }) {
        case .use(let credentials):
            return credentials
        case .fetch:
            let fresh = try await credentialsProvider.credentials()
            cache.withLock { $0.fetched(fresh) }
            return fresh
        }
    }
}
