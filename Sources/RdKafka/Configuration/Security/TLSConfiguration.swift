import Foundation

/// TLS settings: whom to trust, who we are (mutual TLS), and how strictly to check the broker.
///
/// Setting ``ProducerConfiguration/security``'s `tls` turns TLS on (`security.protocol` `ssl`,
/// or `sasl_ssl` with SASL). Verification of the broker's certificate chain and host name is on
/// by default; turning it off takes the explicitly named ``Verification/insecureNoVerification``
/// and is logged as a warning every time a producer is created with it.
public struct TLSConfiguration: Sendable, Hashable {
    /// The certificate authorities that may sign the broker's certificate.
    public var trustRoots: TrustRoots = .system
    /// A client certificate and key, for brokers that require mutual TLS; `nil` for none.
    public var clientIdentity: ClientIdentity?
    /// How the broker's certificate is checked.
    public var verification: Verification = .full
    /// A certificate revocation list file (PEM). `ssl.crl.location`; none by default.
    public var certificateRevocationListFile: String?
    /// The cipher suites offered for TLS 1.2 and earlier, as an OpenSSL cipher list such as
    /// `"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384"`. `ssl.cipher.suites`;
    /// `nil` keeps OpenSSL's defaults. TLS 1.3 suites stay OpenSSL's: librdkafka has no setting
    /// for them.
    ///
    /// Surrounding whitespace is dropped. A blank list is refused; one naming no cipher OpenSSL
    /// knows is refused when the producer is created, with ``KafkaError/configurationKey``
    /// `ssl.cipher.suites`; in a list with some known names, OpenSSL skips the others. A list that
    /// lets in ciphers without encryption or authentication (`eNULL`, `aNULL`, `NULL`, `ADH`,
    /// `AECDH`, `COMPLEMENTOFALL`) or lowers OpenSSL's security level (`@SECLEVEL=0`) is logged
    /// as a warning whenever a producer is created with it.
    public var cipherSuites: String?

    /// ``cipherSuites`` as librdkafka gets it: without surrounding whitespace, which librdkafka
    /// would drop from the start only, so that the configured and effective descriptions agree.
    var trimmedCipherSuites: String? {
        cipherSuites.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The parts of ``cipherSuites`` that weaken TLS, in the order written: see its doc comment.
    var weakeningCipherSuites: [String] {
        let parts = (trimmedCipherSuites ?? "").split(whereSeparator: { ": ,".contains($0) }).map(String.init)
        // "!aNULL" and "-aNULL" keep them out, which is what careful lists say.
        return parts.filter { Self.weakeningCipherNames.contains($0.hasPrefix("+") ? String($0.dropFirst()) : $0) }
    }

    private static let weakeningCipherNames: Set<String> = [
        "eNULL", "aNULL", "NULL", "ADH", "AECDH", "COMPLEMENTOFALL", "@SECLEVEL=0",
    ]

    /// Creates TLS settings; with no arguments, trust the system's roots and verify fully.
    public init(
        trustRoots: TrustRoots = .system,
        clientIdentity: ClientIdentity? = nil,
        verification: Verification = .full,
        certificateRevocationListFile: String? = nil,
        cipherSuites: String? = nil
    ) {
        self.trustRoots = trustRoots
        self.clientIdentity = clientIdentity
        self.verification = verification
        self.certificateRevocationListFile = certificateRevocationListFile
        self.cipherSuites = cipherSuites
    }

    /// Where trusted certificate authorities come from.
    public struct TrustRoots: Sendable, Hashable {
        package enum Source: Hashable {
            case system
            case file(String)
            case pem(String)
        }

        package let source: Source

        /// The operating system's trust store (OpenSSL's default paths). Right for managed
        /// clusters with publicly signed certificates (Confluent Cloud, MSK, Event Hubs).
        public static let system = TrustRoots(source: .system)

        /// CA certificates in a PEM file. `ssl.ca.location`.
        public static func file(_ path: String) -> TrustRoots { TrustRoots(source: .file(path)) }

        /// CA certificates as PEM text. `ssl.ca.pem`.
        public static func pem(_ text: String) -> TrustRoots { TrustRoots(source: .pem(text)) }
    }

    /// A client certificate and its private key: each from a file or PEM text, or both from a
    /// PKCS#12 keystore.
    public struct ClientIdentity: Sendable, Hashable {
        package enum CertificateSource: Hashable {
            case file(String)
            case pem(String)
        }

        package enum KeySource: Hashable {
            case file(String)
            case pem(Secret)
        }

        package enum Source: Hashable {
            case certificateAndKey(certificate: CertificateSource, key: KeySource, keyPassword: Secret?)
            case pkcs12(path: String, password: Secret)
        }

        package let source: Source

        /// Certificate and key in PEM files. `ssl.certificate.location`, `ssl.key.location`,
        /// `ssl.key.password`.
        public static func files(certificate: String, key: String, keyPassword: Secret? = nil) -> ClientIdentity {
            ClientIdentity(source: .certificateAndKey(certificate: .file(certificate), key: .file(key), keyPassword: keyPassword))
        }

        /// Certificate and key as PEM text. `ssl.certificate.pem`, `ssl.key.pem`, `ssl.key.password`.
        public static func pem(certificate: String, key: Secret, keyPassword: Secret? = nil) -> ClientIdentity {
            ClientIdentity(source: .certificateAndKey(certificate: .pem(certificate), key: .pem(key), keyPassword: keyPassword))
        }

        /// Certificate and key in a PKCS#12 keystore file (`.p12`, `.pfx`), as Java clients and
        /// many certificate authorities hand them out. `ssl.keystore.location`,
        /// `ssl.keystore.password`.
        ///
        /// A keystore that cannot be read, or that `password` does not open, fails the producer's
        /// creation with ``KafkaError/Code/invalidConfiguration`` naming `ssl.keystore.location`.
        public static func pkcs12(keystore path: String, password: Secret) -> ClientIdentity {
            ClientIdentity(source: .pkcs12(path: path, password: password))
        }

        /// How descriptions name the certificate: its file, or `PEM`.
        var summary: String {
            switch source {
            case .certificateAndKey(.file(let path), _, _): path
            case .certificateAndKey(.pem, _, _): "PEM"
            case .pkcs12(let path, _): path
            }
        }
    }

    /// How strictly the broker's certificate is checked.
    public struct Verification: Sendable, Hashable {
        package let verifiesChain: Bool
        package let verifiesHostname: Bool

        /// Chain and host name (`ssl.endpoint.identification.algorithm=https`). The default.
        public static let full = Verification(verifiesChain: true, verifiesHostname: true)

        /// Chain only: for brokers reached by an address their certificate does not name.
        /// `ssl.endpoint.identification.algorithm=none`.
        public static let chainOnly = Verification(verifiesChain: true, verifiesHostname: false)

        /// No verification at all: anyone between you and the broker can read and change the
        /// traffic. For local experiments only; logged as a warning whenever it is used.
        /// `enable.ssl.certificate.verification=false`.
        public static let insecureNoVerification = Verification(verifiesChain: false, verifiesHostname: false)
    }
}

extension TLSConfiguration: CustomStringConvertible {
    /// A summary without key material or passwords.
    public var description: String {
        let trust =
            switch trustRoots.source {
            case .system: "system"
            case .file(let path): path
            case .pem: "PEM"
            }
        return Self.summary(
            trust: trust, clientCertificate: clientIdentity?.summary, verifiesChain: verification.verifiesChain,
            verifiesHostname: verification.verifiesHostname, cipherSuites: trimmedCipherSuites)
    }

    /// The one spelling of a TLS summary, which ``EffectiveSecurity`` uses too, so that what was
    /// configured and what librdkafka applies read alike.
    static func summary(
        trust: String, clientCertificate: String?, verifiesChain: Bool, verifiesHostname: Bool, cipherSuites: String?
    ) -> String {
        var parts = ["trust: \(trust)"]
        if let clientCertificate { parts.append("client certificate: \(clientCertificate)") }
        switch (verifiesChain, verifiesHostname) {
        case (true, true): parts.append("verify: full")
        case (true, false): parts.append("verify: chain only")
        default: parts.append("verify: NONE (insecure)")
        }
        if let cipherSuites { parts.append("ciphers: \(cipherSuites)") }
        return "TLS(" + parts.joined(separator: ", ") + ")"
    }
}
