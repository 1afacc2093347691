import ArgumentParser
import Foundation
import RdKafka

/// The TLS and SASL options, turned into the library's `SecurityConfiguration`.
///
/// Secrets never come from the command line, where shell history and `ps` would show them: the
/// password, token and key password options name environment variables to read them from.
struct SecurityOptions: ParsableArguments {
    /// The SASL mechanisms the command offers, spelled as on the command line.
    enum SASLMechanism: String, CaseIterable, ExpressibleByArgument {
        case plain
        case scramSHA256 = "scram-sha-256"
        case scramSHA512 = "scram-sha-512"
        case oauthBearer = "oauthbearer"

        /// Also accepts Kafka's upper-case spelling (`SCRAM-SHA-512`).
        init?(argument: String) {
            self.init(rawValue: argument.lowercased())
        }
    }

    @Flag(help: "Connect with TLS, trusting the system's certificate authorities.")
    var tls = false

    @Option(
        name: .customLong("tls-ca"),
        help: ArgumentHelp("Trust only the CA certificates in this PEM file (implies --tls).", valueName: "file")
    )
    var tlsCA: String?

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("A client certificate (PEM) for mutual TLS; needs --tls-key (implies --tls).", valueName: "file")
    )
    var tlsCertificate: String?

    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("The client certificate's private key (PEM); needs --tls-cert.", valueName: "file")
    )
    var tlsKey: String?

    @Option(
        name: .customLong("tls-key-password-env"),
        help: ArgumentHelp("Read the password of an encrypted --tls-key from this environment variable.", valueName: "name")
    )
    var tlsKeyPasswordVariable: String?

    @Option(
        name: .customLong("tls-keystore"),
        help: ArgumentHelp(
            "A PKCS#12 keystore (.p12, .pfx) holding the client certificate and key for mutual TLS; needs "
                + "--tls-keystore-password-env (implies --tls).",
            valueName: "file")
    )
    var tlsKeystore: String?

    @Option(
        name: .customLong("tls-keystore-password-env"),
        help: ArgumentHelp("Read the password of --tls-keystore from this environment variable.", valueName: "name")
    )
    var tlsKeystorePasswordVariable: String?

    @Flag(
        name: .customLong("tls-no-hostname-check"),
        help: "Check the broker's certificate chain but not that it names the broker's host (implies --tls)."
    )
    var tlsNoHostnameCheck = false

    @Option(
        name: .customLong("tls-cipher-suites"),
        help: ArgumentHelp(
            "Offer only these TLS 1.2 cipher suites, an OpenSSL cipher list (implies --tls); kcat's -X ssl.cipher.suites.",
            valueName: "list")
    )
    var tlsCipherSuites: String?

    @Option(name: .customLong("sasl-mechanism"), help: "Authenticate with SASL using this mechanism.")
    var saslMechanism: SASLMechanism?

    @Option(
        name: .customLong("sasl-username"),
        help: ArgumentHelp("The SASL user name; for oauthbearer, the token's principal.", valueName: "name")
    )
    var saslUsername: String?

    @Option(
        name: .customLong("sasl-password-env"),
        help: ArgumentHelp("Read the SASL password from this environment variable (plain, scram-*).", valueName: "name")
    )
    var saslPasswordVariable: String?

    @Option(
        name: .customLong("sasl-token-env"),
        help: ArgumentHelp(
            "Read a ready OAUTHBEARER token from this environment variable; it is offered as valid for an hour.",
            valueName: "name"
        )
    )
    var saslTokenVariable: String?

    @Flag(
        name: .customLong("allow-plaintext-credentials"),
        help: "Allow --sasl-mechanism plain or oauthbearer without TLS, which sends the password or token unencrypted."
    )
    var allowPlaintextCredentials = false

    // Not offered: only here to explain, rather than answer "unknown option", when someone tries it.
    @Option(name: .customLong("sasl-password"), help: .hidden)
    var saslPassword: String?

    /// Whether any TLS or SASL option was given.
    var isRequested: Bool {
        wantsTLS || saslMechanism != nil || saslUsername != nil || saslPasswordVariable != nil || saslTokenVariable != nil
    }

    private var wantsTLS: Bool {
        tls || tlsCA != nil || tlsCertificate != nil || tlsKey != nil || tlsKeyPasswordVariable != nil || tlsNoHostnameCheck
            || tlsCipherSuites != nil || tlsKeystore != nil || tlsKeystorePasswordVariable != nil
    }

    func validate() throws {
        _ = try configuration()
    }

    /// The security settings the options describe; `.plaintext` when none was given.
    ///
    /// - Throws: `ValidationError` for contradictory or incomplete options, and for an
    ///   environment variable that is unset or empty.
    func configuration() throws -> SecurityConfiguration {
        let configuration = try SecurityConfiguration(tls: tlsConfiguration(), sasl: saslConfiguration())
        if configuration.tls == nil, let mechanism = saslMechanism, [.plain, .oauthBearer].contains(mechanism),
            !allowPlaintextCredentials
        {
            throw ValidationError(
                "--sasl-mechanism \(mechanism.rawValue) without TLS would send the \(mechanism == .plain ? "password" : "token") "
                    + "unencrypted: add --tls (or --tls-ca FILE), or pass --allow-plaintext-credentials if that is really meant")
        }
        return configuration
    }

    /// Refuses `-X` settings that would bypass these options: secrets, which shell history and
    /// `ps` would show, and the keys these options set, which would silently override them.
    ///
    /// Other security keys go to the library as `additionalProperties`, which follows the same
    /// rule for the rest: a key its typed security settings own, or one that would weaken the
    /// connection, is refused when the producer is created (exit 64, naming the key); a key with
    /// no typed form (`ssl.curves.list`, `sasl.kerberos.kinit.cmd`, ...) is applied and shown on
    /// the "connected" line.
    static func check(_ properties: [KeyValue]) throws {
        for property in properties {
            let key = property.key.lowercased().replacingOccurrences(of: "_", with: ".")
            if let option = secretKeys[key] {
                throw ValidationError(
                    "-X \(property.key): secrets are not taken on the command line, where shell history and ps would show them; "
                        + option)
            }
            if let option = optionKeys[key] {
                throw ValidationError(
                    "-X \(property.key): set by \(option), not with -X, so that what is printed is what is used")
            }
        }
    }

    /// Secret librdkafka keys, and the option to use instead.
    private static let secretKeys: [String: String] = [
        "sasl.password": "put the password in an environment variable and pass --sasl-password-env NAME",
        "ssl.key.password": "put the key's password in an environment variable and pass --tls-key-password-env NAME",
        "ssl.keystore.password": "put the keystore's password in an environment variable and pass --tls-keystore-password-env NAME",
        "sasl.oauthbearer.client.secret": "put a token in an environment variable and pass --sasl-token-env NAME",
        "sasl.oauthbearer.client.credentials.client.secret": "put a token in an environment variable and pass --sasl-token-env NAME",
        "ssl.key.pem": "put the key in a file and pass --tls-key FILE (and --tls-key-password-env NAME if it is encrypted)",
        "sasl.oauthbearer.assertion.private.key.pem": "no option takes a signing key: put a token in an environment variable "
            + "and pass --sasl-token-env NAME",
        "sasl.oauthbearer.assertion.private.key.passphrase": "no option takes a signing key: put a token in an environment variable "
            + "and pass --sasl-token-env NAME",
    ]

    /// The librdkafka keys the security options set, and the options that set them.
    private static let optionKeys: [String: String] = [
        "security.protocol": "the security options (--tls, --tls-ca, ... and --sasl-mechanism)",
        "ssl.ca.location": "--tls-ca", "ssl.ca.pem": "--tls-ca",
        "ssl.certificate.location": "--tls-cert", "ssl.certificate.pem": "--tls-cert", "ssl.key.location": "--tls-key",
        "ssl.keystore.location": "--tls-keystore",
        "enable.ssl.certificate.verification": "--tls-ca and --tls-no-hostname-check (verification cannot be turned off)",
        "ssl.endpoint.identification.algorithm": "--tls-no-hostname-check",
        "ssl.cipher.suites": "--tls-cipher-suites",
        "sasl.mechanisms": "--sasl-mechanism", "sasl.mechanism": "--sasl-mechanism", "sasl.username": "--sasl-username",
    ]

    private func tlsConfiguration() throws -> TLSConfiguration? {
        guard wantsTLS else { return nil }
        var configuration = TLSConfiguration()
        if let tlsCA { configuration.trustRoots = .file(tlsCA) }
        if let identity = try keystoreIdentity() { configuration.clientIdentity = identity }
        switch (tlsCertificate, tlsKey) {
        case (let certificate?, let key?):
            let password = try tlsKeyPasswordVariable.map { Secret(try Self.environmentValue($0, for: "--tls-key-password-env")) }
            configuration.clientIdentity = .files(certificate: certificate, key: key, keyPassword: password)
        case (_?, nil):
            throw ValidationError("--tls-cert needs --tls-key: the client certificate's private key")
        case (nil, _?):
            throw ValidationError("--tls-key needs --tls-cert: the client certificate the key belongs to")
        case (nil, nil):
            if tlsKeyPasswordVariable != nil {
                throw ValidationError("--tls-key-password-env needs --tls-cert and --tls-key")
            }
        }
        if tlsNoHostnameCheck { configuration.verification = .chainOnly }
        configuration.cipherSuites = tlsCipherSuites
        return configuration
    }

    /// The client identity `--tls-keystore` names, if any.
    private func keystoreIdentity() throws -> TLSConfiguration.ClientIdentity? {
        guard let tlsKeystore else {
            if tlsKeystorePasswordVariable != nil { throw ValidationError("--tls-keystore-password-env needs --tls-keystore") }
            return nil
        }
        if tlsCertificate != nil || tlsKey != nil {
            throw ValidationError("--tls-keystore holds the client certificate and key: give it or --tls-cert and --tls-key, not both")
        }
        guard let tlsKeystorePasswordVariable else {
            throw ValidationError("--tls-keystore needs --tls-keystore-password-env NAME: the environment variable holding its password")
        }
        let password = Secret(try Self.environmentValue(tlsKeystorePasswordVariable, for: "--tls-keystore-password-env"))
        return .pkcs12(keystore: tlsKeystore, password: password)
    }

    private func saslConfiguration() throws -> SASLConfiguration? {
        if saslPassword != nil {
            throw ValidationError(
                "--sasl-password is not accepted: shell history and ps would show the password. "
                    + "Put it in an environment variable and pass --sasl-password-env NAME")
        }
        guard let saslMechanism else {
            if let given = [
                ("--sasl-username", saslUsername), ("--sasl-password-env", saslPasswordVariable),
                ("--sasl-token-env", saslTokenVariable),
            ].first(where: { $0.1 != nil }) {
                throw ValidationError("\(given.0) needs --sasl-mechanism")
            }
            return nil
        }
        let mechanism = saslMechanism.rawValue
        if saslMechanism == .oauthBearer {
            if saslPasswordVariable != nil {
                throw ValidationError("--sasl-mechanism oauthbearer takes a token (--sasl-token-env), not --sasl-password-env")
            }
            guard let saslTokenVariable else {
                throw ValidationError("--sasl-mechanism oauthbearer needs --sasl-token-env NAME: the variable holding the token")
            }
            let token = Secret(try Self.environmentValue(saslTokenVariable, for: "--sasl-token-env"))
            let principal = saslUsername ?? "kafka-produce"
            // A ready token that this tool cannot renew: librdkafka asks again before the stated
            // expiry and gets the same token, so a token the broker considers expired is refused.
            return .oauthBearer { _ in
                OAuthBearerToken(value: token, expiry: Date(timeIntervalSinceNow: 3600), principal: principal)
            }
        }
        if saslTokenVariable != nil {
            throw ValidationError("--sasl-token-env is for --sasl-mechanism oauthbearer, not \(mechanism)")
        }
        guard let saslUsername else { throw ValidationError("--sasl-mechanism \(mechanism) needs --sasl-username") }
        if saslUsername.isEmpty { throw ValidationError("--sasl-username must not be empty") }
        guard let saslPasswordVariable else {
            throw ValidationError(
                "--sasl-mechanism \(mechanism) needs --sasl-password-env NAME: the environment variable holding the password")
        }
        let password = Secret(try Self.environmentValue(saslPasswordVariable, for: "--sasl-password-env"))
        switch saslMechanism {
        case .plain: return .plain(username: saslUsername, password: password)
        case .scramSHA256: return .scramSHA256(username: saslUsername, password: password)
        case .scramSHA512: return .scramSHA512(username: saslUsername, password: password)
        case .oauthBearer: preconditionFailure("handled above")
        }
    }

    /// The value of environment variable `name`, which must be set and not empty.
    ///
    /// A name is quoted in an error only if it looks like a variable's name: anything else may
    /// be the secret itself, given where its variable's name belongs.
    private static func environmentValue(_ name: String, for option: String) throws -> String {
        let named = isVariableName(name) ? "the environment variable '\(name)'" : "the environment variable it names"
        guard let value = ProcessInfo.processInfo.environment[name] else {
            let hint =
                isVariableName(name)
                ? "" : " (what was given is not a variable name, letters, digits and '_'; it is not shown, in case it is a secret)"
            throw ValidationError("\(option): \(named) is not set\(hint)")
        }
        guard !value.isEmpty else { throw ValidationError("\(option): \(named) is empty") }
        return value
    }

    /// Whether `name` is a portable environment variable name: letters, digits and `_`, not
    /// starting with a digit, at most 128 characters.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 128, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
