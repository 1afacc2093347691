import Foundation
import RdKafka
import TestSupport
import Testing

/// TLS and mutual TLS against tansu behind stunnel: a broker and a TLS stack that share no code
/// with librdkafka or this package.
@Suite("Real broker: TLS", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct TLSTests {
    let broker = BrokerEnvironment.current!

    /// The reader's settings for the mutual-TLS listener.
    var mutualTLSReader: [String: String] {
        [
            "security.protocol": "ssl", "ssl.ca.location": broker.ca, "ssl.certificate.location": broker.clientCertificate,
            "ssl.key.location": broker.clientKey,
        ]
    }

    func producer(_ servers: String, _ tls: TLSConfiguration) throws -> KafkaProducer {
        var configuration = ProducerConfiguration(bootstrapServers: [servers])
        configuration.security = SecurityConfiguration(tls: tls)
        configuration.deliveryTimeout = .seconds(30)
        configuration.linger = .milliseconds(1)
        return try KafkaProducer(configuration: configuration, logger: quietLogger)
    }

    /// Sends `count` records with awaited sends, then reads them back by consuming (tansu's high
    /// watermark is not reliable after batches, so offsets alone prove nothing).
    func sendAndReadBack(_ producer: KafkaProducer, servers: String, consumerSecurity: [String: String], count: Int = 20) async throws {
        let topic = BrokerEnvironment.uniqueTopic("tls")
        for index in 0..<count {
            let report = try await producer.send(ProducerRecord(topic: topic, key: "k\(index)", value: "v\(index)"))
            #expect(report.offset != nil)
        }
        await producer.shutdown()
        let consumed = try await TestConsumer.consume(
            topic: topic, partitions: 4, bootstrapServers: servers, expecting: count, properties: consumerSecurity)
        #expect(Set(consumed.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }) == Set((0..<count).map { "v\($0)" }))
    }

    @Test("The plain listener works, for comparison")
    func plain() async throws {
        var configuration = ProducerConfiguration(bootstrapServers: [broker.plain])
        configuration.linger = .milliseconds(1)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        try await sendAndReadBack(producer, servers: broker.plain, consumerSecurity: [:])
    }

    @Test("TLS with the right CA file: awaited sends are acknowledged and read back")
    func tlsWithCAFile() async throws {
        let producer = try producer(broker.tls, TLSConfiguration(trustRoots: .file(broker.ca)))
        try await producer.waitUntilConnected(timeout: .seconds(20))
        try await sendAndReadBack(
            producer, servers: broker.tls, consumerSecurity: ["security.protocol": "ssl", "ssl.ca.location": broker.ca])
    }

    @Test("TLS with the CA as PEM text works as well as the file")
    func tlsWithCAPEM() async throws {
        let pem = try String(contentsOfFile: broker.ca, encoding: .utf8)
        let producer = try producer(broker.tls, TLSConfiguration(trustRoots: .pem(pem)))
        try await sendAndReadBack(
            producer, servers: broker.tls, consumerSecurity: ["security.protocol": "ssl", "ssl.ca.location": broker.ca])
    }

    @Test("TLS with the wrong CA fails within seconds with a typed TLS error")
    func tlsWithWrongCA() async throws {
        let producer = try producer(broker.tls, TLSConfiguration(trustRoots: .file(broker.wrongCA)))
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .ssl, "\(error)")
        #expect(error.message.lowercased().contains("certificate"), "\(error)")
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("Mutual TLS with a client certificate and key from files: delivered")
    func mutualTLSFiles() async throws {
        let producer = try producer(
            broker.mutualTLS,
            TLSConfiguration(
                trustRoots: .file(broker.ca), clientIdentity: .files(certificate: broker.clientCertificate, key: broker.clientKey)))
        try await producer.waitUntilConnected(timeout: .seconds(20))
        try await sendAndReadBack(
            producer, servers: broker.mutualTLS,
            consumerSecurity: mutualTLSReader)
    }

    @Test("Mutual TLS with certificate and key as PEM text, the key encrypted with a password: delivered")
    func mutualTLSPEMWithPassword() async throws {
        let certificate = try String(contentsOfFile: broker.clientCertificate, encoding: .utf8)
        let key = try String(contentsOfFile: broker.encryptedClientKey, encoding: .utf8)
        let producer = try producer(
            broker.mutualTLS,
            TLSConfiguration(
                trustRoots: .file(broker.ca),
                clientIdentity: .pem(certificate: certificate, key: Secret(key), keyPassword: Secret(broker.clientKeyPassword))))
        try await producer.waitUntilConnected(timeout: .seconds(20))
        try await sendAndReadBack(
            producer, servers: broker.mutualTLS,
            consumerSecurity: mutualTLSReader)
    }

    @Test("Mutual TLS without a client certificate fails with a typed error")
    func mutualTLSWithoutCertificate() async throws {
        let producer = try producer(broker.mutualTLS, TLSConfiguration(trustRoots: .file(broker.ca)))
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .ssl, "\(error)")
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
    }
}
