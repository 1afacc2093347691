/// librdkafka's built-in OIDC token fetching with the JWT bearer grant (RFC 7523, KIP-1139):
/// librdkafka presents a signed JWT, the assertion, to the token endpoint instead of a client
/// secret, and logs in with the token it gets back.
///
/// `sasl.oauthbearer.method=oidc`,
/// `sasl.oauthbearer.grant.type=urn:ietf:params:oauth:grant-type:jwt-bearer` and the
/// `sasl.oauthbearer.assertion.*` settings. librdkafka 2.11 and later: with an older one the
/// producer's creation fails with ``KafkaError/Code/invalidConfiguration`` naming
/// `sasl.oauthbearer.grant.type` and the release it needs.
public struct OIDCJWTBearer: Sendable, Hashable {
    /// The token endpoint URL. `sasl.oauthbearer.token.endpoint.url`.
    public var tokenEndpoint: String
    /// Where the assertion comes from.
    public var assertion: Assertion
    /// `sasl.oauthbearer.scope`, if any.
    public var scope: String?
    /// `sasl.oauthbearer.extensions` as key/value pairs.
    public var extensions: [String: String]
    /// The token claim that names the principal; `nil` for `sub`. `sasl.oauthbearer.sub.claim.name`,
    /// librdkafka 2.14 and later.
    public var subjectClaimName: String?

    /// Creates JWT bearer settings.
    public init(
        tokenEndpoint: String, assertion: Assertion, scope: String? = nil, extensions: [String: String] = [:],
        subjectClaimName: String? = nil
    ) {
        self.tokenEndpoint = tokenEndpoint
        self.assertion = assertion
        self.scope = scope
        self.extensions = extensions
        self.subjectClaimName = subjectClaimName
    }

    /// The assertion librdkafka presents: read from a file, or signed by librdkafka itself.
    public struct Assertion: Sendable, Hashable {
        enum Source: Hashable {
            case file(String)
            case signed(key: SigningKey, algorithm: SigningAlgorithm, claims: Claims, template: String?)
        }

        let source: Source

        /// A ready assertion in a file that something else (a sidecar, a workload identity
        /// agent) keeps fresh; librdkafka reads it again for each token.
        /// `sasl.oauthbearer.assertion.file`.
        public static func file(_ path: String) -> Assertion {
            Assertion(source: .file(path))
        }

        /// An assertion librdkafka makes and signs with `key` for each token.
        ///
        /// - Parameters:
        ///   - key: The private key that signs it.
        ///   - algorithm: `sasl.oauthbearer.assertion.algorithm`; RS256 by default.
        ///   - claims: The claims it carries.
        ///   - template: A JSON file with a default `header` and `payload`, which `claims`
        ///     override. `sasl.oauthbearer.assertion.jwt.template.file`.
        public static func signed(
            with key: SigningKey, algorithm: SigningAlgorithm = .rs256, claims: Claims = Claims(), template: String? = nil
        ) -> Assertion {
            Assertion(source: .signed(key: key, algorithm: algorithm, claims: claims, template: template))
        }
    }

    /// The private key that signs the assertion.
    public struct SigningKey: Sendable, Hashable {
        enum Source: Hashable {
            case file(String)
            case pem(Secret)
        }

        let source: Source
        let passphrase: Secret?

        /// A PEM key file. `sasl.oauthbearer.assertion.private.key.file` and, for an encrypted
        /// key, `sasl.oauthbearer.assertion.private.key.passphrase`.
        public static func file(_ path: String, passphrase: Secret? = nil) -> SigningKey {
            SigningKey(source: .file(path), passphrase: passphrase)
        }

        /// A PEM key as text. `sasl.oauthbearer.assertion.private.key.pem` and, for an encrypted
        /// key, `sasl.oauthbearer.assertion.private.key.passphrase`.
        public static func pem(_ key: Secret, passphrase: Secret? = nil) -> SigningKey {
            SigningKey(source: .pem(key), passphrase: passphrase)
        }
    }

    /// The algorithm that signs the assertion, and its `alg` header.
    public enum SigningAlgorithm: String, Sendable, Hashable {
        /// RSASSA-PKCS1-v1_5 with SHA-256, for an RSA key.
        case rs256 = "RS256"
        /// ECDSA with P-256 and SHA-256, for an EC key.
        case es256 = "ES256"
    }

    /// The claims of a signed assertion; those left `nil` come from the template, if any, or
    /// are left out.
    public struct Claims: Sendable, Hashable {
        /// `iss`. `sasl.oauthbearer.assertion.claim.iss`.
        public var issuer: String?
        /// `sub`. `sasl.oauthbearer.assertion.claim.sub`.
        public var subject: String?
        /// `aud`. `sasl.oauthbearer.assertion.claim.aud`.
        public var audience: String?
        /// How long each assertion is valid (`exp`); whole seconds, at least 1; librdkafka's
        /// default 300 s when `nil`. `sasl.oauthbearer.assertion.claim.exp.seconds`.
        public var lifetime: Duration?
        /// How far before its making each assertion becomes valid (`nbf`), for clock skew; whole
        /// seconds; librdkafka's default 60 s when `nil`. `sasl.oauthbearer.assertion.claim.nbf.seconds`.
        public var notBeforeLeeway: Duration?
        /// Whether each assertion carries a random `jti`, for endpoints that refuse a replayed
        /// assertion. `sasl.oauthbearer.assertion.claim.jti.include`.
        public var includesJWTID: Bool

        /// Creates claims.
        public init(
            issuer: String? = nil, subject: String? = nil, audience: String? = nil, lifetime: Duration? = nil,
            notBeforeLeeway: Duration? = nil, includesJWTID: Bool = false
        ) {
            self.issuer = issuer
            self.subject = subject
            self.audience = audience
            self.lifetime = lifetime
            self.notBeforeLeeway = notBeforeLeeway
            self.includesJWTID = includesJWTID
        }
    }

    /// Every `sasl.oauthbearer.assertion.*` key librdkafka has: what these settings own.
    static let assertionKeys: [String] = [
        "sasl.oauthbearer.assertion.algorithm", "sasl.oauthbearer.assertion.private.key.file",
        "sasl.oauthbearer.assertion.private.key.passphrase", "sasl.oauthbearer.assertion.private.key.pem",
        "sasl.oauthbearer.assertion.file", "sasl.oauthbearer.assertion.claim.aud",
        "sasl.oauthbearer.assertion.claim.exp.seconds", "sasl.oauthbearer.assertion.claim.iss",
        "sasl.oauthbearer.assertion.claim.jti.include", "sasl.oauthbearer.assertion.claim.nbf.seconds",
        "sasl.oauthbearer.assertion.claim.sub", "sasl.oauthbearer.assertion.jwt.template.file",
    ]
}
