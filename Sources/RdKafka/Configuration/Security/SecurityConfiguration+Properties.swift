import class Foundation.FileManager

extension SecurityConfiguration {
    /// The librdkafka settings these security settings stand for. Secrets go only into these pairs.
    func librdkafkaProperties() throws(KafkaError) -> [(key: String, value: String)] {
        var properties: [(key: String, value: String)] = [("security.protocol", securityProtocol)]
        if let tls { try Self.add(tls, to: &properties) }
        if let sasl { try Self.add(sasl, to: &properties) }
        return properties
    }

    /// The librdkafka features (`builtin.features`) these settings need.
    var requiredFeatures: [String] {
        var features: [String] = []
        if tls != nil { features.append("ssl") }
        guard let sasl else { return features }
        switch sasl.mechanism {
        case .plain: features.append("sasl_plain")
        case .scram: features.append("sasl_scram")
        case .gssapi: features.append("sasl_gssapi")
        case .oauthBearer: features.append("sasl_oauthbearer")
        case .oauthBearerOIDC, .oauthBearerJWTBearer, .oauthBearerAzureIMDS: features += ["sasl_oauthbearer", "oidc"]
        }
        return features
    }

    static func refuse(_ key: String, _ message: String) -> KafkaError {
        KafkaError(code: .invalidConfiguration, message: message, configurationKey: key)
    }

    static func requireFile(_ path: String, key: String, what: String) throws(KafkaError) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw refuse(key, "the \(what) file '\(path)' does not exist or cannot be read")
        }
    }

    /// Adds a `*.location` setting after checking the file can be read.
    static func addFile(
        _ path: String, key: String, what: String, to properties: inout [(key: String, value: String)]
    ) throws(KafkaError) {
        try requireFile(path, key: key, what: what)
        properties.append((key, path))
    }

    /// Adds a `*.pem` setting after checking it holds a PEM block; the text is never echoed.
    static func addPEM(
        _ text: String, block: String, key: String, what: String, to properties: inout [(key: String, value: String)]
    ) throws(KafkaError) {
        // "-----BEGIN ... PRIVATE KEY-----" covers the RSA, EC and ENCRYPTED variants too.
        guard text.contains("-----BEGIN "), text.contains("\(block)-----") else {
            throw refuse(key, "the \(what) PEM text holds no '-----BEGIN \(block)-----' block")
        }
        properties.append((key, text))
    }

    private static func add(_ tls: TLSConfiguration, to properties: inout [(key: String, value: String)]) throws(KafkaError) {
        switch tls.trustRoots.source {
        case .system: break
        case .file(let path): try addFile(path, key: "ssl.ca.location", what: "CA certificate", to: &properties)
        case .pem(let text): try addPEM(text, block: "CERTIFICATE", key: "ssl.ca.pem", what: "CA", to: &properties)
        }
        if let identity = tls.clientIdentity {
            switch identity.source {
            case .certificateAndKey(let certificate, let key, let keyPassword):
                switch certificate {
                case .file(let path):
                    try addFile(path, key: "ssl.certificate.location", what: "client certificate", to: &properties)
                case .pem(let text):
                    try addPEM(text, block: "CERTIFICATE", key: "ssl.certificate.pem", what: "client certificate", to: &properties)
                }
                switch key {
                case .file(let path): try addFile(path, key: "ssl.key.location", what: "client key", to: &properties)
                case .pem(let key):
                    try addPEM(key.value, block: "PRIVATE KEY", key: "ssl.key.pem", what: "client key", to: &properties)
                }
                if let password = keyPassword { properties.append(("ssl.key.password", password.value)) }
            case .pkcs12(let path, let password):
                try addFile(path, key: "ssl.keystore.location", what: "PKCS#12 keystore", to: &properties)
                properties.append(("ssl.keystore.password", password.value))
            }
        }
        if !tls.verification.verifiesChain {
            properties.append(("enable.ssl.certificate.verification", "false"))
        }
        properties.append(("ssl.endpoint.identification.algorithm", tls.verification.verifiesHostname ? "https" : "none"))
        if let crl = tls.certificateRevocationListFile {
            try addFile(crl, key: "ssl.crl.location", what: "certificate revocation list", to: &properties)
        }
        if let cipherSuites = tls.trimmedCipherSuites {
            // librdkafka would take an empty list as "not set" and quietly keep OpenSSL's defaults.
            guard !cipherSuites.isEmpty else {
                throw refuse("ssl.cipher.suites", "the cipher suite list is empty: leave it unset for OpenSSL's defaults")
            }
            properties.append(("ssl.cipher.suites", cipherSuites))
        }
    }

    private static func add(_ sasl: SASLConfiguration, to properties: inout [(key: String, value: String)]) throws(KafkaError) {
        properties.append(("sasl.mechanisms", sasl.mechanismName))
        switch sasl.mechanism {
        case .plain(let username, let password), .scram(_, let username, let password):
            guard !username.isEmpty else { throw refuse("sasl.username", "the SASL user name is empty") }
            guard !password.isEmpty else { throw refuse("sasl.password", "the SASL password is empty") }
            properties.append(("sasl.username", username))
            properties.append(("sasl.password", password.value))
        case .gssapi(let serviceName, let principal, let keytab):
            properties.append(("sasl.kerberos.service.name", serviceName))
            if let principal { properties.append(("sasl.kerberos.principal", principal)) }
            if let keytab {
                try addFile(keytab, key: "sasl.kerberos.keytab", what: "Kerberos keytab", to: &properties)
            }
        case .oauthBearer:
            break
        case .oauthBearerOIDC(let credentials):
            properties.append(("sasl.oauthbearer.method", "oidc"))
            properties.append(("sasl.oauthbearer.token.endpoint.url", credentials.tokenEndpoint))
            properties.append(("sasl.oauthbearer.client.id", credentials.clientID))
            properties.append(("sasl.oauthbearer.client.secret", credentials.clientSecret.value))
            addOIDCCommon(
                scope: credentials.scope, extensions: credentials.extensions, subjectClaimName: credentials.subjectClaimName,
                to: &properties)
        case .oauthBearerJWTBearer(let settings):
            try add(settings, to: &properties)
        case .oauthBearerAzureIMDS(let settings):
            try add(settings, to: &properties)
        }
    }

    /// The token provider, when OAUTHBEARER tokens come from the application.
    var tokenProvider: OAuthBearerTokenProvider? {
        if case .oauthBearer(let provider)? = sasl?.mechanism { return provider }
        return nil
    }

    /// Whether verification was turned off, which is logged as a warning.
    var isInsecure: Bool {
        tls.map { !$0.verification.verifiesChain } ?? false
    }

    /// Whether a password (PLAIN) or a bearer token (OAUTHBEARER) crosses the network unencrypted,
    /// where anyone on the path can read it and log in with it.
    var sendsCredentialsInClear: Bool {
        guard tls == nil, let sasl else { return false }
        switch sasl.mechanism {
        case .plain, .oauthBearer, .oauthBearerOIDC, .oauthBearerJWTBearer, .oauthBearerAzureIMDS: return true
        case .scram, .gssapi: return false
        }
    }

    /// What the producer logs as warnings when it is created with these settings.
    var warnings: [String] {
        var warnings: [String] = []
        if isInsecure {
            warnings.append(
                "TLS certificate verification is OFF (insecureNoVerification): the connection can be read and changed by anyone on the path"
            )
        }
        if let weakening = tls?.weakeningCipherSuites, !weakening.isEmpty {
            warnings.append(
                "TLS cipher suites let in \(weakening.joined(separator: ", ")): ciphers without encryption or authentication, "
                    + "or a lower OpenSSL security level, for TLS 1.2 connections")
        }
        if sendsCredentialsInClear, let sasl {
            warnings.append(
                "SASL \(sasl.mechanismName) without TLS (sasl_plaintext): the \(sasl.mechanismName == "PLAIN" ? "password" : "token") "
                    + "crosses the network unencrypted, readable by anyone on the path; add TLSConfiguration")
        }
        return warnings
    }
}
