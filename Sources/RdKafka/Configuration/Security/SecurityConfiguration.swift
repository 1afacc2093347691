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
        description(additional: [:])
    }

    /// ``description`` with the security settings of ``ProducerConfiguration/additionalProperties``
    /// that have no typed form, as ``ProducerConfiguration/securityDescription`` shows them.
    func description(additional: [String: String]) -> String {
        var parts = [securityProtocol]
        if let tls { parts.append(tls.description) }
        if let sasl { parts.append(sasl.description) }
        if let additional = Self.summary(ofAdditional: additional) { parts.append(additional) }
        return "Security(" + parts.joined(separator: ", ") + ")"
    }

    /// The one spelling of the additional settings, which ``EffectiveSecurity`` uses too:
    /// `additional(ssl.curves.list=X25519, ...)` by key; `nil` for none.
    static func summary(ofAdditional settings: [String: String]) -> String? {
        guard !settings.isEmpty else { return nil }
        return "additional(" + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
    }
}
