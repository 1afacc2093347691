import struct Foundation.Date

/// SASL authentication: which mechanism, with which credentials.
///
/// Setting ``ProducerConfiguration/security``'s `sasl` turns SASL on (`security.protocol`
/// `sasl_plaintext`, or `sasl_ssl` with TLS). The mechanisms librdkafka was built without are
/// refused when the producer is created, naming the missing feature.
public struct SASLConfiguration: Sendable {
    enum Mechanism: Sendable {
        case plain(username: String, password: Secret)
        case scram(algorithm: String, username: String, password: Secret)
        case gssapi(serviceName: String, principal: String?, keytab: String?)
        case oauthBearer(OAuthBearerTokenProvider)
        case oauthBearerOIDC(OIDCClientCredentials)
        case oauthBearerJWTBearer(OIDCJWTBearer)
        case oauthBearerAzureIMDS(OIDCAzureIMDS)
    }

    let mechanism: Mechanism

    /// PLAIN: user name and password in the clear inside the (TLS) connection.
    /// `sasl.mechanisms=PLAIN`, `sasl.username`, `sasl.password`. Confluent Cloud's API keys
    /// and Azure Event Hubs' connection strings use it; always combine it with TLS.
    public static func plain(username: String, password: Secret) -> SASLConfiguration {
        SASLConfiguration(mechanism: .plain(username: username, password: password))
    }

    /// SCRAM-SHA-256: a salted challenge-response; the password never crosses the wire.
    /// `sasl.mechanisms=SCRAM-SHA-256`.
    public static func scramSHA256(username: String, password: Secret) -> SASLConfiguration {
        SASLConfiguration(mechanism: .scram(algorithm: "SCRAM-SHA-256", username: username, password: password))
    }

    /// SCRAM-SHA-512 (AWS MSK, Aiven, Redpanda). `sasl.mechanisms=SCRAM-SHA-512`.
    public static func scramSHA512(username: String, password: Secret) -> SASLConfiguration {
        SASLConfiguration(mechanism: .scram(algorithm: "SCRAM-SHA-512", username: username, password: password))
    }

    /// Kerberos. `sasl.mechanisms=GSSAPI`, `sasl.kerberos.service.name` (usually `kafka`),
    /// `sasl.kerberos.principal`, `sasl.kerberos.keytab`.
    public static func gssapi(serviceName: String = "kafka", principal: String? = nil, keytab: String? = nil) -> SASLConfiguration {
        SASLConfiguration(mechanism: .gssapi(serviceName: serviceName, principal: principal, keytab: keytab))
    }

    /// OAUTHBEARER with tokens from your code: whenever librdkafka needs a token (at start and
    /// before the current one expires) `provider` runs, off the delivery path; its token is handed
    /// to librdkafka (`rd_kafka_oauthbearer_set_token`), its error is reported to librdkafka
    /// (`rd_kafka_oauthbearer_set_token_failure`) and surfaces as an authentication error.
    /// `sasl.mechanisms=OAUTHBEARER`.
    public static func oauthBearer(_ provider: @escaping OAuthBearerTokenProvider) -> SASLConfiguration {
        SASLConfiguration(mechanism: .oauthBearer(provider))
    }

    /// OAUTHBEARER with librdkafka fetching tokens itself from an OpenID Connect token endpoint
    /// (client-credentials grant). `sasl.oauthbearer.method=oidc`. librdkafka 1.9 and later; a
    /// library without it is reported when the producer is created.
    public static func oauthBearerOIDC(_ credentials: OIDCClientCredentials) -> SASLConfiguration {
        SASLConfiguration(mechanism: .oauthBearerOIDC(credentials))
    }

    /// OAUTHBEARER with librdkafka fetching tokens itself from an OpenID Connect token endpoint,
    /// presenting a signed JWT assertion instead of a client secret (the JWT bearer grant).
    /// librdkafka 2.11 and later; an older library is reported when the producer is created,
    /// naming the release it needs. See ``OIDCJWTBearer``.
    public static func oauthBearerOIDC(jwtBearer: OIDCJWTBearer) -> SASLConfiguration {
        SASLConfiguration(mechanism: .oauthBearerJWTBearer(jwtBearer))
    }

    /// OAUTHBEARER with librdkafka fetching tokens itself from Azure's instance metadata service,
    /// for a workload with a managed identity. librdkafka 2.12 and later; an older library is
    /// reported when the producer is created, naming the release it needs. See ``OIDCAzureIMDS``.
    public static func oauthBearerOIDC(azureIMDS: OIDCAzureIMDS) -> SASLConfiguration {
        SASLConfiguration(mechanism: .oauthBearerAzureIMDS(azureIMDS))
    }

    /// The mechanism's name as librdkafka and brokers spell it.
    public var mechanismName: String {
        switch mechanism {
        case .plain: return "PLAIN"
        case .scram(let algorithm, _, _): return algorithm
        case .gssapi: return "GSSAPI"
        case .oauthBearer, .oauthBearerOIDC, .oauthBearerJWTBearer, .oauthBearerAzureIMDS: return "OAUTHBEARER"
        }
    }
}

extension SASLConfiguration: CustomStringConvertible {
    /// The mechanism and user name; never a password, key or token.
    public var description: String {
        switch mechanism {
        case .plain(let username, _), .scram(_, let username, _):
            return "SASL(\(mechanismName), user: \(username))"
        case .gssapi(let serviceName, let principal, _):
            return "SASL(GSSAPI, service: \(serviceName)\(principal.map { ", principal: \($0)" } ?? ""))"
        case .oauthBearer:
            return "SASL(OAUTHBEARER, token provider)"
        case .oauthBearerOIDC(let credentials):
            return "SASL(OAUTHBEARER, OIDC client: \(credentials.clientID))"
        case .oauthBearerJWTBearer(let settings):
            return "SASL(OAUTHBEARER, OIDC JWT bearer: \(settings.tokenEndpoint))"
        case .oauthBearerAzureIMDS:
            return "SASL(OAUTHBEARER, OIDC Azure IMDS)"
        }
    }
}

/// Produces an OAUTHBEARER token when librdkafka asks for one.
///
/// - Parameter configuration: the value of `sasl.oauthbearer.config`, if set.
/// - Returns: The token. Throwing reports the failure to librdkafka, which retries later.
public typealias OAuthBearerTokenProvider = @Sendable (_ configuration: String?) async throws -> OAuthBearerToken

/// A token for SASL/OAUTHBEARER.
public struct OAuthBearerToken: Sendable {
    /// The token itself (a JWT for most providers).
    public var value: Secret
    /// When the token expires; librdkafka asks for a new one before then.
    public var expiry: Date
    /// The principal the token names.
    public var principal: String
    /// SASL extensions (key/value pairs some brokers require, such as Confluent's `logicalCluster`).
    public var extensions: [String: String]

    /// Creates a token.
    public init(value: Secret, expiry: Date, principal: String, extensions: [String: String] = [:]) {
        self.value = value
        self.expiry = expiry
        self.principal = principal
        self.extensions = extensions
    }
}

/// Client credentials for librdkafka's built-in OIDC token fetching.
public struct OIDCClientCredentials: Sendable, Hashable {
    /// The token endpoint URL. `sasl.oauthbearer.token.endpoint.url`.
    public var tokenEndpoint: String
    /// `sasl.oauthbearer.client.id`.
    public var clientID: String
    /// `sasl.oauthbearer.client.secret`.
    public var clientSecret: Secret
    /// `sasl.oauthbearer.scope`, if any.
    public var scope: String?
    /// `sasl.oauthbearer.extensions` as key/value pairs.
    public var extensions: [String: String]
    /// The token claim that names the principal; `nil` for `sub`. `sasl.oauthbearer.sub.claim.name`,
    /// librdkafka 2.14 and later.
    public var subjectClaimName: String?

    /// Creates OIDC client credentials.
    public init(
        tokenEndpoint: String, clientID: String, clientSecret: Secret, scope: String? = nil, extensions: [String: String] = [:],
        subjectClaimName: String? = nil
    ) {
        self.tokenEndpoint = tokenEndpoint
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.extensions = extensions
        self.subjectClaimName = subjectClaimName
    }
}
