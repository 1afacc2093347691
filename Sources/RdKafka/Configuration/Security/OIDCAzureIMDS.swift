/// librdkafka's built-in OIDC token fetching from Azure's instance metadata service (IMDS): a
/// workload on an Azure VM, scale set or AKS node with a managed identity gets its tokens
/// without a secret.
///
/// `sasl.oauthbearer.method=oidc`, `sasl.oauthbearer.metadata.authentication.type=azure_imds`,
/// and the query in `sasl.oauthbearer.config` (`query=...`). librdkafka 2.12 and later: with an
/// older one the producer's creation fails with ``KafkaError/Code/invalidConfiguration`` naming
/// `sasl.oauthbearer.metadata.authentication.type` and the release it needs.
public struct OIDCAzureIMDS: Sendable, Hashable {
    /// The query string of the token request, such as
    /// `api-version=2025-04-07&resource=api://<app id>&client_id=<managed identity client id>`.
    /// It may hold no comma (librdkafka separates settings with them). Required unless
    /// ``tokenEndpoint`` already carries one.
    public var query: String?
    /// The token endpoint; `nil` for Azure's, `http://169.254.169.254/metadata/identity/oauth2/token`.
    /// `sasl.oauthbearer.token.endpoint.url`.
    public var tokenEndpoint: String?
    /// `sasl.oauthbearer.extensions` as key/value pairs.
    public var extensions: [String: String]
    /// The token claim that names the principal; `nil` for `sub`. `sasl.oauthbearer.sub.claim.name`,
    /// librdkafka 2.14 and later.
    public var subjectClaimName: String?

    /// Creates Azure IMDS settings.
    public init(query: String?, tokenEndpoint: String? = nil, extensions: [String: String] = [:], subjectClaimName: String? = nil) {
        self.query = query
        self.tokenEndpoint = tokenEndpoint
        self.extensions = extensions
        self.subjectClaimName = subjectClaimName
    }
}
