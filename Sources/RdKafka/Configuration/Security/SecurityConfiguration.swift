/// How the producer connects: TLS, SASL, both, or neither.
///
/// librdkafka's `security.protocol` follows from what is set: nothing is `plaintext`, ``tls``
/// alone `ssl`, ``sasl`` alone `sasl_plaintext`, both `sasl_ssl`. Use a preset for the managed
/// services (``confluentCloud(apiKey:apiSecret:)``, ``awsMSK(scramUsername:password:)``, ...).
///
/// No part of it prints a secret: passwords, keys and tokens are ``Secret``s.
public struct SecurityConfiguration: Sendable {
    /// TLS settings; `nil` for an unencrypted connection.
    public var tls: TLSConfiguration?
    /// SASL settings; `nil` for no authentication (or mutual TLS alone).
    public var sasl: SASLConfiguration?

    /// Creates security settings.
    public init(tls: TLSConfiguration? = nil, sasl: SASLConfiguration? = nil) {
        self.tls = tls
        self.sasl = sasl
    }

    /// No TLS, no SASL: for local development and the mock cluster.
    public static let plaintext = SecurityConfiguration()

    /// The `security.protocol` these settings stand for.
    public var securityProtocol: String {
        switch (tls != nil, sasl != nil) {
        case (false, false): return "plaintext"
        case (true, false): return "ssl"
        case (false, true): return "sasl_plaintext"
        case (true, true): return "sasl_ssl"
        }
    }
}

extension SecurityConfiguration: CustomStringConvertible {
    /// The protocol and a summary of each part, without secrets.
    public var description: String {
        var parts = [securityProtocol]
        if let tls { parts.append(tls.description) }
        if let sasl { parts.append(sasl.description) }
        return "Security(" + parts.joined(separator: ", ") + ")"
    }
}
