/// The security settings a producer actually uses, read back from librdkafka once it was
/// created, rather than restated from ``SecurityConfiguration``.
///
/// What ``KafkaProducer/effectiveSecurity`` returns, so that a log line or a status display
/// shows what librdkafka applies. It never holds a password, key or token.
public struct EffectiveSecurity: Sendable, Hashable {
    /// `security.protocol`: `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl`.
    public let securityProtocol: String
    /// `sasl.mechanisms` (`PLAIN`, `SCRAM-SHA-512`, `OAUTHBEARER`, ...) when SASL is on.
    public let saslMechanism: String?
    /// `sasl.username` when SASL PLAIN or SCRAM is on.
    public let saslUsername: String?
    /// The trusted certificate authorities when TLS is on: a file path (`ssl.ca.location`),
    /// `PEM` (`ssl.ca.pem`) or `system`.
    public let trustRoots: String?
    /// The client certificate when TLS is on: a file path (`ssl.certificate.location`), `PEM`
    /// (`ssl.certificate.pem`), the PKCS#12 keystore's path (`ssl.keystore.location`), or `nil`
    /// for none.
    public let clientCertificate: String?
    /// Whether the broker's certificate chain is verified (`enable.ssl.certificate.verification`).
    public let verifiesCertificateChain: Bool
    /// Whether the broker's certificate must name its host (`ssl.endpoint.identification.algorithm`).
    public let verifiesHostname: Bool
    /// The cipher list librdkafka hands OpenSSL for TLS 1.2 and earlier (`ssl.cipher.suites`) when
    /// TLS is on and one was set; `nil` for OpenSSL's defaults. It is the list as written: names
    /// OpenSSL does not know are skipped when connections are made, not removed here.
    public let cipherSuites: String?

    /// The security settings without a typed form that
    /// ``ProducerConfiguration/additionalProperties`` set (`ssl.curves.list`,
    /// `sasl.kerberos.kinit.cmd`, ...), by key, with the values librdkafka applies; a secret one
    /// (such as `sasl.oauthbearer.config`) as `<redacted>`.
    public let additionalSettings: [String: String]

    /// Whether the connection is encrypted with TLS.
    public var usesTLS: Bool { securityProtocol.hasSuffix("ssl") }

    /// Reads the settings through `value`, which returns librdkafka's value for a key; the
    /// `additionalKeys` are those of ``additionalSettings``.
    init(reading value: (String) -> String?, additionalKeys: some Sequence<String> = []) {
        var additionalSettings: [String: String] = [:]
        for key in additionalKeys {
            guard let setting = value(key) else { continue }
            additionalSettings[key] = SecurityKeyRule.isSecret(key) ? Secret(setting).description : setting
        }
        self.additionalSettings = additionalSettings
        let securityProtocol = value("security.protocol")?.lowercased() ?? "plaintext"
        self.securityProtocol = securityProtocol
        let usesSASL = securityProtocol.hasPrefix("sasl")
        let usesTLS = securityProtocol.hasSuffix("ssl")
        saslMechanism = usesSASL ? value("sasl.mechanisms") : nil
        saslUsername = usesSASL && saslMechanism != "OAUTHBEARER" && saslMechanism != "GSSAPI" ? value("sasl.username") : nil
        if usesTLS {
            trustRoots = value("ssl.ca.location") ?? (value("ssl.ca.pem") == nil ? "system" : "PEM")
            clientCertificate =
                value("ssl.certificate.location") ?? value("ssl.keystore.location")
                ?? (value("ssl.certificate.pem") == nil ? nil : "PEM")
            cipherSuites = value("ssl.cipher.suites")
        } else {
            trustRoots = nil
            clientCertificate = nil
            cipherSuites = nil
        }
        verifiesCertificateChain = usesTLS && value("enable.ssl.certificate.verification") != "false"
        verifiesHostname = verifiesCertificateChain && value("ssl.endpoint.identification.algorithm") == "https"
    }
}

extension EffectiveSecurity: CustomStringConvertible {
    /// The protocol and each part in the form ``SecurityConfiguration/description`` uses, such
    /// as `Security(sasl_ssl, TLS(trust: system, verify: full), SASL(PLAIN, user: alice))`.
    public var description: String {
        var parts = [securityProtocol]
        if usesTLS {
            parts.append(
                TLSConfiguration.summary(
                    trust: trustRoots ?? "system", clientCertificate: clientCertificate,
                    verifiesChain: verifiesCertificateChain, verifiesHostname: verifiesHostname, cipherSuites: cipherSuites))
        }
        if let saslMechanism {
            parts.append("SASL(\(saslMechanism)\(saslUsername.map { ", user: \($0)" } ?? ""))")
        }
        if let additional = SecurityConfiguration.summary(ofAdditional: additionalSettings) { parts.append(additional) }
        return "Security(" + parts.joined(separator: ", ") + ")"
    }
}
