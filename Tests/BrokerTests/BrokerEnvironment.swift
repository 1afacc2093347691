import Foundation
import Logging
import RdKafka

/// The real broker started by scripts/broker/start, described by the environment it writes.
/// Absent (and the suites disabled, with this reason printed) when the variables are not set.
struct BrokerEnvironment {
    let plain: String
    let tls: String
    let mutualTLS: String
    /// stunnel with a certificate from the test CA for `wrong-host.test` only.
    let tlsWrongHost: String
    /// stunnel with a certificate from the test CA for localhost that expired in 2020.
    let tlsExpired: String
    /// The SASL gateway (scripts/broker/sasl_gateway.py), SASL_PLAINTEXT.
    let sasl: String
    /// The same gateway behind stunnel: SASL_SSL, host name `localhost`.
    let saslSSL: String
    /// The gateways' logs: one line per login attempt, with the client id.
    let saslLog: String
    let saslSSLLog: String
    let ca: String
    let wrongCA: String
    let clientCertificate: String
    let clientKey: String
    let encryptedClientKey: String
    let clientKeyPassword: String

    static let current: BrokerEnvironment? = {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) -> String? { environment["RDKAFKA_TEST_\(name)"].flatMap { $0.isEmpty ? nil : $0 } }
        guard let plain = value("BROKER_PLAIN"), let tls = value("BROKER_TLS"), let mutualTLS = value("BROKER_MTLS"),
            let tlsWrongHost = value("BROKER_TLS_WRONG_HOST"), let tlsExpired = value("BROKER_TLS_EXPIRED"),
            let sasl = value("BROKER_SASL"), let saslSSL = value("BROKER_SASL_SSL"), let saslLog = value("SASL_LOG"),
            let saslSSLLog = value("SASL_SSL_LOG"), let ca = value("CA"), let wrongCA = value("WRONG_CA"),
            let clientCertificate = value("CLIENT_CERT"), let clientKey = value("CLIENT_KEY"),
            let encryptedClientKey = value("CLIENT_KEY_ENCRYPTED"), let clientKeyPassword = value("CLIENT_KEY_PASSWORD")
        else { return nil }
        return BrokerEnvironment(
            plain: plain, tls: tls, mutualTLS: mutualTLS, tlsWrongHost: tlsWrongHost, tlsExpired: tlsExpired, sasl: sasl, saslSSL: saslSSL,
            saslLog: saslLog, saslSSLLog: saslSSLLog, ca: ca,
            wrongCA: wrongCA,
            clientCertificate: clientCertificate, clientKey: clientKey, encryptedClientKey: encryptedClientKey,
            clientKeyPassword: clientKeyPassword)
    }()

    /// Why the suites are off: no broker, or a librdkafka too old to parse tansu's ApiVersions reply.
    static let disabledReason: String = {
        if current == nil {
            return "no real broker: run the tests through scripts/test (it starts tansu and stunnel and sets RDKAFKA_TEST_*)"
        }
        return "librdkafka \(librdkafkaVersion) cannot parse tansu's ApiVersions reply; scripts/test runs these on librdkafka 2.16"
    }()

    /// librdkafka before 2.1 cannot talk to tansu (its ApiVersions reply is not understood).
    static var isUsable: Bool {
        current != nil && librdkafkaVersion.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes([2, 1]) == false
    }

    /// A topic no other test writes; tansu auto-creates it on first use.
    static func uniqueTopic(_ stem: String) -> String {
        "\(stem)-\(UUID().uuidString.prefix(8))"
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "broker-test", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()
