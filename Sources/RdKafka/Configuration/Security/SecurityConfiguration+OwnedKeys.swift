/// What ``ProducerConfiguration/additionalProperties`` does with a librdkafka key that concerns
/// security.
///
/// Applied last, a key the typed settings set would override them behind their back: turn TLS
/// off while `description` still says "ssl", stop verifying certificates, or send a SCRAM
/// password as PLAIN. Those keys are refused, naming the typed setting, and so are the values that
/// would weaken the connection with no typed setting to own them. Every other security key has
/// no typed form and weakens nothing: it is applied, and shown in both descriptions.
enum SecurityKeyRule: Equatable {
    /// Set through ``ProducerConfiguration/security``; the typed setting to use.
    case owned(by: String)
    /// A value that would weaken the connection; why, in the refusal's words.
    case weakening(String)
    /// A security key without a typed form: applied and shown.
    case accepted
    /// Not a security key.
    case unrelated

    /// The rule for `key` set to `value`. Keys are matched however librdkafka spells them (it
    /// takes `ssl_ca` for `ssl.ca`, and any case).
    init(key: String, value: String) {
        let key = key.lowercased().replacing("_", with: ".")
        if let typed = Self.owners[key] {
            self = .owned(by: typed)
        } else if key == "enable.sasl.oauthbearer.unsecure.jwt", !["false", "f", "0"].contains(value.lowercased()) {
            self = .weakening(
                "it makes librdkafka mint its own unsigned tokens (alg: none), which anyone can forge: "
                    + "set ProducerConfiguration.security with SASLConfiguration.oauthBearer and a token provider, "
                    + "or oauthBearerOIDC, instead")
        } else if Self.isSecurityKey(key) {
            self = .accepted
        } else {
            self = .unrelated
        }
    }

    /// Whether `key` (lowercased, dots for underscores) concerns security: `security.protocol`,
    /// a key with an `ssl` or `sasl` part, or one of the `https.*` keys that say whom librdkafka
    /// trusts when it fetches OIDC tokens.
    static func isSecurityKey(_ key: String) -> Bool {
        if key == "security.protocol" || key.hasPrefix("https.") { return true }
        return key.split(separator: ".").contains { $0 == "ssl" || $0 == "sasl" }
    }

    /// Whether an accepted key's value is shown as `<redacted>`: librdkafka's sensitive keys, and
    /// any whose name says it holds a secret.
    static func isSecret(_ key: String) -> Bool {
        let key = key.lowercased().replacing("_", with: ".")
        return key == "sasl.oauthbearer.config"
            || ["password", "secret", "passphrase", "private", "token", "pem"].contains { key.contains($0) }
    }

    /// The keys ``SecurityConfiguration`` sets, each with the typed setting that sets it.
    private static let owners: [String: String] = {
        let clientIdentity = "TLSConfiguration.clientIdentity"
        let verification = "TLSConfiguration.verification: .chainOnly, or .insecureNoVerification, which is logged as a warning"
        let trustRoots = "TLSConfiguration.trustRoots"
        let oidc = "SASLConfiguration.oauthBearerOIDC"
        let jwtBearer = "SASLConfiguration.oauthBearerOIDC(jwtBearer:)"
        var owners: [String: String] = [
            "security.protocol": "TLSConfiguration and SASLConfiguration, whose combination sets it",
            "ssl.cipher.suites": "TLSConfiguration.cipherSuites",
            "ssl.crl.location": "TLSConfiguration.certificateRevocationListFile",
            "ssl.ca.location": trustRoots, "ssl.ca.pem": trustRoots, "ssl.ca": trustRoots,
            "ssl.ca.certificate.stores": trustRoots,
            "ssl.certificate.location": clientIdentity, "ssl.certificate.pem": clientIdentity, "ssl.certificate": clientIdentity,
            "ssl.key.location": clientIdentity, "ssl.key.pem": clientIdentity, "ssl.key.password": clientIdentity,
            "ssl.key": clientIdentity, "ssl.keystore.location": clientIdentity, "ssl.keystore.password": clientIdentity,
            "enable.ssl.certificate.verification": verification, "ssl.endpoint.identification.algorithm": verification,
            "ssl.certificate.verify.cb": verification,
            "sasl.mechanisms": "SASLConfiguration", "sasl.mechanism": "SASLConfiguration",
            "sasl.username": "SASLConfiguration.plain, .scramSHA256 or .scramSHA512",
            "sasl.password": "SASLConfiguration.plain, .scramSHA256 or .scramSHA512",
            "sasl.kerberos.service.name": "SASLConfiguration.gssapi", "sasl.kerberos.principal": "SASLConfiguration.gssapi",
            "sasl.kerberos.keytab": "SASLConfiguration.gssapi",
            "sasl.oauthbearer.method": oidc, "sasl.oauthbearer.token.endpoint.url": oidc, "sasl.oauthbearer.client.id": oidc,
            "sasl.oauthbearer.client.secret": oidc, "sasl.oauthbearer.client.credentials.client.id": oidc,
            "sasl.oauthbearer.client.credentials.client.secret": oidc, "sasl.oauthbearer.scope": oidc,
            "sasl.oauthbearer.extensions": oidc, "sasl.oauthbearer.sub.claim.name": oidc,
            "sasl.oauthbearer.metadata.authentication.type": "SASLConfiguration.oauthBearerOIDC(azureIMDS:)",
            "sasl.oauthbearer.grant.type": jwtBearer,
        ]
        for assertionKey in OIDCJWTBearer.assertionKeys { owners[assertionKey] = jwtBearer }
        return owners
    }()
}

extension SecurityConfiguration {
    /// The refusal of `key=value` in ``ProducerConfiguration/additionalProperties``, or `nil` if
    /// it may be set there.
    static func refusal(ofAdditional key: String, value: String) -> String? {
        switch SecurityKeyRule(key: key, value: value) {
        case .owned(let typed):
            return "'\(key)' belongs to the typed security settings and cannot be overridden through additionalProperties: "
                + "set ProducerConfiguration.security (\(typed)) instead"
        case .weakening(let why):
            return "'\(key)=\(value)' would weaken the connection's security: \(why)"
        case .accepted, .unrelated:
            return nil
        }
    }
}

extension ProducerConfiguration {
    /// The security settings ``additionalProperties`` sets that have no typed form, by key; a
    /// secret one's value as `<redacted>`.
    var additionalSecuritySettings: [String: String] {
        var settings: [String: String] = [:]
        for (key, value) in additionalProperties where SecurityKeyRule(key: key, value: value) == .accepted {
            settings[key] = SecurityKeyRule.isSecret(key) ? Secret(value).description : value
        }
        return settings
    }

    /// ``security``'s description together with the security settings of
    /// ``additionalProperties`` that have no typed form (`additional(ssl.curves.list=X25519)`),
    /// secrets redacted: what ``KafkaProducer/effectiveSecurity``'s description says once the
    /// producer is created, where librdkafka applied the same.
    public var securityDescription: String {
        security.description(additional: additionalSecuritySettings)
    }
}
