import Foundation
import RdKafka
import TestSupport
import Testing

/// A PKCS#12 keystore as the client identity, and the accepted TLS tuning keys, against the
/// mutual-TLS listener (stunnel requiring a certificate from the test CA in front of tansu).
@Suite(
    "Real broker: PKCS#12 keystore and TLS tuning keys", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"),
    .timeLimit(.minutes(2)))
struct KeystoreTests {
    let broker = BrokerEnvironment.current!
    let environment = ProcessInfo.processInfo.environment

    func producer(keystorePassword: String, additional: [String: String] = [:]) throws -> KafkaProducer {
        let keystore = try #require(environment["RDKAFKA_TEST_CLIENT_P12"])
        var configuration = ProducerConfiguration(bootstrapServers: [broker.mutualTLS])
        configuration.security = SecurityConfiguration(
            tls: TLSConfiguration(
                trustRoots: .file(broker.ca), clientIdentity: .pkcs12(keystore: keystore, password: Secret(keystorePassword))))
        configuration.additionalProperties = additional
        configuration.linger = .milliseconds(1)
        return try KafkaProducer(configuration: configuration, logger: quietLogger)
    }

    @Test("A PKCS#12 keystore logs in over mutual TLS with the tuning keys applied, and the reader sees every record")
    func keystoreDelivers() async throws {
        let keystore = try #require(environment["RDKAFKA_TEST_CLIENT_P12"])
        let password = try #require(environment["RDKAFKA_TEST_CLIENT_P12_PASSWORD"])
        let tuning = ["ssl.curves.list": "X25519:P-256", "ssl.sigalgs.list": "ECDSA+SHA256:RSA-PSS+SHA256:RSA+SHA256"]
        let producer = try producer(keystorePassword: password, additional: tuning)
        try await producer.waitUntilConnected(timeout: .seconds(20))
        #expect(producer.effectiveSecurity.clientCertificate == keystore)
        #expect(producer.effectiveSecurity.additionalSettings == tuning)
        #expect(!producer.effectiveSecurity.description.contains(password))
        let topic = BrokerEnvironment.uniqueTopic("keystore")
        for index in 0..<10 {
            _ = try await producer.send(ProducerRecord(topic: topic, key: "k\(index)", value: "v\(index)"))
        }
        await producer.shutdown()
        let consumed = try await TestConsumer.consume(
            topic: topic, partitions: 4, bootstrapServers: broker.mutualTLS, expecting: 10,
            properties: [
                "security.protocol": "ssl", "ssl.ca.location": broker.ca, "ssl.certificate.location": broker.clientCertificate,
                "ssl.key.location": broker.clientKey,
            ])
        #expect(Set(consumed.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }) == Set((0..<10).map { "v\($0)" }))
    }

    @Test("A keystore password that does not open it is refused at creation, saying so and not showing the password")
    func wrongKeystorePassword() throws {
        let error = try #require(throws: KafkaError.self) { try producer(keystorePassword: "not-the-keystore-password") }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == "ssl.keystore.location")
        #expect(error.message.hasSuffix("the keystore password (ssl.keystore.password) does not open this keystore"), "\(error)")
        #expect(!error.message.contains("not-the-keystore-password"))
    }
}
