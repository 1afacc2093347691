import Foundation
import RdKafka
import Testing

/// TLS failures that say which problem it is: librdkafka words every refused certificate the same
/// way ("certificate verify failed ... install ca-certificates package") and every refused key
/// as "PEM lib".
@Suite(
    "Real broker: TLS errors tell their causes apart", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"),
    .timeLimit(.minutes(2)))
struct TLSErrorTests {
    let broker = BrokerEnvironment.current!

    enum Refusal: String, CaseIterable, CustomStringConvertible {
        case hostnameMismatch, expired, unknownCA

        var description: String { rawValue }
    }

    @Test("A refused broker certificate says why: hostname mismatch, expired, unknown CA", arguments: Refusal.allCases)
    func refusedCertificate(refusal: Refusal) async throws {
        let (servers, ca, expected) =
            switch refusal {
            case .hostnameMismatch: (broker.tlsWrongHost, broker.ca, "hostname mismatch")
            case .expired: (broker.tlsExpired, broker.ca, "has expired")
            case .unknownCA: (broker.tls, broker.wrongCA, "unknown CA")
            }
        var configuration = ProducerConfiguration(bootstrapServers: [servers])
        configuration.security = SecurityConfiguration(tls: TLSConfiguration(trustRoots: .file(ca)))
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .ssl, "\(error)")
        #expect(error.message.contains(expected), "\(error)")
        #expect(!error.message.contains("install ca-certificates"), "\(error)")
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("A client key with the wrong password, or none, says more than 'PEM lib'")
    func wrongKeyPassword() throws {
        func attempt(_ password: Secret?) throws -> KafkaError {
            var configuration = ProducerConfiguration(bootstrapServers: [broker.mutualTLS])
            configuration.security = SecurityConfiguration(
                tls: TLSConfiguration(
                    trustRoots: .file(broker.ca),
                    clientIdentity: .files(certificate: broker.clientCertificate, key: broker.encryptedClientKey, keyPassword: password)))
            return try #require(throws: KafkaError.self) { try KafkaProducer(configuration: configuration, logger: quietLogger) }
        }
        let wrong = try attempt("not-the-password")
        #expect(wrong.code == .invalidConfiguration)
        #expect(wrong.configurationKey == "ssl.key.location", "\(wrong)")
        #expect(wrong.message.contains("could not be decrypted with the key password"), "\(wrong)")
        #expect(!wrong.message.contains("not-the-password"))
        let missing = try attempt(nil)
        #expect(missing.message.contains("if it is encrypted, give its password"), "\(missing)")
    }
}
