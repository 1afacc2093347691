extension SecurityConfiguration {
    /// Whether ``ProducerConfiguration/security`` owns `key`, so that
    /// ``ProducerConfiguration/additionalProperties`` may not set it.
    ///
    /// Applied last, such a key would override the typed settings behind their back: turn TLS
    /// off while `description` still says "ssl", stop verifying certificates, or send a SCRAM
    /// password as PLAIN. Owned are `security.protocol` and every key with an `ssl` or `sasl`
    /// part (`ssl.*`, `sasl.*`, `enable.ssl.certificate.verification`,
    /// `enable.sasl.oauthbearer.unsecure.jwt`, ...), under any spelling librdkafka accepts.
    static func owns(_ key: String) -> Bool {
        let lowercased = key.lowercased()
        if lowercased == "security.protocol" { return true }
        return lowercased.split(whereSeparator: { $0 == "." || $0 == "_" }).contains { $0 == "ssl" || $0 == "sasl" }
    }

    /// The typed setting that replaces an owned tuning key, for the refusal to point at.
    static func typedSetting(for key: String) -> String? {
        switch key.lowercased() {
        case "ssl.cipher.suites": "TLSConfiguration.cipherSuites"
        case "ssl.crl.location": "TLSConfiguration.certificateRevocationListFile"
        case "ssl.ca.location", "ssl.ca.pem": "TLSConfiguration.trustRoots"
        case "ssl.certificate.location", "ssl.certificate.pem", "ssl.key.location", "ssl.key.pem", "ssl.key.password":
            "TLSConfiguration.clientIdentity"
        case "enable.ssl.certificate.verification", "ssl.endpoint.identification.algorithm": "TLSConfiguration.verification"
        default: nil
        }
    }
}
