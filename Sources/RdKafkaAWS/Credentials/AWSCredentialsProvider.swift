/// A source of AWS credentials: the built-in ones (environment, profile files, container
/// endpoint, web identity, a chain of them) or your own.
///
/// ```swift
/// struct VaultCredentials: AWSCredentialsProvider {
///     var name: String { "vault" }
///     func credentials() async throws -> AWSCredentials { try await vault.fetchAWSKeys() }
/// }
/// configuration.security = .awsMSKIAM(region: "eu-west-1", credentials: VaultCredentials())
/// ```
///
/// ``MSKIAMTokenProvider`` asks again only when the credentials it holds are about to expire, so
/// a provider may do network calls without caching itself.
public protocol AWSCredentialsProvider: Sendable {
    /// The source's name in errors (`environment`, `profile dev`, …).
    var name: String { get }

    /// Fetches credentials.
    ///
    /// - Returns: The credentials; temporary ones carry their expiry.
    /// - Throws: Preferably ``AWSCredentialsError``, with ``AWSCredentialsError/Kind/notConfigured``
    ///   when nothing configures the source, so a chain can say so; never an error that shows a
    ///   secret.
    func credentials() async throws -> AWSCredentials
}

/// Given keys are a provider of themselves: `.awsMSKIAM(region:credentials: AWSCredentials(…))`.
extension AWSCredentials: AWSCredentialsProvider {
    /// `given credentials`.
    public var name: String { "given credentials" }

    /// These credentials.
    ///
    /// - Returns: `self`.
    public func credentials() async throws -> AWSCredentials { self }
}
