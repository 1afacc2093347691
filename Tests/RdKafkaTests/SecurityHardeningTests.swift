import RdKafkaBridge
import Testing

@testable import RdKafka

/// Nothing weakens the typed security settings silently: overriding keys, cut-short secrets and
/// malformed broker addresses are refused before librdkafka sees them.
@Suite("Security hardening")
struct SecurityHardeningTests {
    func refusal(_ adjust: (inout ProducerConfiguration) -> Void) throws -> KafkaError {
        var configuration = ProducerConfiguration(bootstrapServers: ["broker:9093"])
        configuration.security = SecurityConfiguration(
            tls: TLSConfiguration(), sasl: .scramSHA512(username: "alice", password: "alice-secret"))
        adjust(&configuration)
        return try #require(throws: KafkaError.self) { try configuration.librdkafkaProperties() }
    }

    @Test(
        "additionalProperties may not override a key the typed security owns",
        arguments: [
            "security.protocol", "enable.ssl.certificate.verification", "ssl.endpoint.identification.algorithm",
            "ssl.ca.location", "ssl.key.pem", "sasl.mechanisms", "sasl.mechanism", "sasl.password", "SASL.USERNAME",
            "enable.sasl.oauthbearer.unsecure.jwt", "ssl_ca_location",
        ])
    func securityKeysRefused(key: String) throws {
        let error = try refusal { $0.additionalProperties[key] = "x" }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == key)
        #expect(error.message.contains("ProducerConfiguration.security"), "\(error)")
    }

    @Test("Keys outside security still pass through additionalProperties")
    func otherKeysPass() throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["broker:9093"])
        configuration.additionalProperties = ["socket.keepalive.enable": "true", "client.rack": "a"]
        let properties = try configuration.librdkafkaProperties()
        #expect(properties.contains { $0.key == "client.rack" && $0.value == "a" })
    }

    @Test("A secret with a NUL is refused instead of being cut short, and not echoed")
    func secretWithNUL() throws {
        let error = try refusal { $0.security.sasl = .plain(username: "alice", password: "abc\0def") }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == "sasl.password")
        #expect(!error.message.contains("abc"))
        let keyError = try refusal {
            $0.security.tls = TLSConfiguration(
                clientIdentity: .pem(
                    certificate: "-----BEGIN CERTIFICATE-----\n", key: "-----BEGIN PRIVATE KEY-----\n", keyPassword: "pw\0x"))
        }
        #expect(keyError.configurationKey == "ssl.key.password")
    }

    @Test(
        "Malformed broker addresses are refused naming bootstrap.servers and the entry",
        arguments: [
            "127.0.0.1:110925", "127.0.0.1:abc", "127.0.0.1:-1", "127.0.0.1:0", " ", "", "broker", "broker:", ":9092",
            "::1:9092", "[::1:9092", "[::1]", "bro ker:9092", "a:1,,b:2",
        ])
    func badAddresses(entry: String) throws {
        var configuration = ProducerConfiguration(bootstrapServers: [entry])
        let error = try #require(throws: KafkaError.self) { try configuration.librdkafkaProperties() }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == "bootstrap.servers")
        configuration.bootstrapServers = ["good:9092", entry]
        let second = try #require(throws: KafkaError.self) { try configuration.librdkafkaProperties() }
        #expect(second.configurationKey == "bootstrap.servers")
        #expect(second.message.contains("'\(entry)'"), "\(second)")
    }

    @Test(
        "Well-formed broker addresses pass",
        arguments: ["broker:9092", "127.0.0.1:65535", "[::1]:9092", "SASL_SSL://broker:9093", "a:1,b:2", "a:1, b:2", "x_y-z.example:1"])
    func goodAddresses(entry: String) throws {
        let configuration = ProducerConfiguration(bootstrapServers: [entry])
        _ = try configuration.librdkafkaProperties()
    }

    @Test("PLAIN and OAUTHBEARER without TLS are warned about; SCRAM and TLS are not")
    func cleartextCredentialsWarning() {
        let plain = SecurityConfiguration(sasl: .plain(username: "u", password: "p"))
        #expect(plain.warnings.count == 1)
        #expect(plain.warnings.first?.contains("PLAIN without TLS") == true)
        let bearer = SecurityConfiguration(sasl: .oauthBearer { _ in throw CancellationError() })
        #expect(bearer.warnings.first?.contains("OAUTHBEARER without TLS") == true)
        #expect(SecurityConfiguration(sasl: .scramSHA256(username: "u", password: "p")).warnings.isEmpty)
        #expect(SecurityConfiguration(tls: TLSConfiguration(), sasl: .plain(username: "u", password: "p")).warnings.isEmpty)
    }

    @Test("The effective settings are read from librdkafka's values, not the typed struct")
    func effectiveFromValues() {
        let values = [
            "security.protocol": "sasl_ssl", "sasl.mechanisms": "PLAIN", "sasl.username": "alice",
            "enable.ssl.certificate.verification": "false", "ssl.endpoint.identification.algorithm": "https",
            "ssl.ca.location": "/etc/ca.pem",
        ]
        let effective = EffectiveSecurity(reading: { values[$0] })
        #expect(effective.description == "Security(sasl_ssl, TLS(trust: /etc/ca.pem, verify: NONE (insecure)), SASL(PLAIN, user: alice))")
        let plaintext = EffectiveSecurity(reading: { ["security.protocol": "plaintext", "sasl.mechanisms": "GSSAPI"][$0] })
        #expect(plaintext.description == "Security(plaintext)")
    }

    @Test("A producer reports what librdkafka applies")
    func producerEffectiveSecurity() async throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.security = SecurityConfiguration(
            tls: TLSConfiguration(verification: .chainOnly), sasl: .scramSHA512(username: "alice", password: "alice-secret"))
        let producer = try KafkaProducer(configuration: configuration)
        #expect(
            producer.effectiveSecurity.description
                == "Security(sasl_ssl, TLS(trust: system, verify: chain only), SASL(SCRAM-SHA-512, user: alice))")
        #expect(producer.effectiveSecurity.description == configuration.security.description)
        await producer.shutdown(flushTimeout: .zero)
    }
}

@Suite("TLS failure explanations")
struct TLSFailureExplanationTests {
    static let librdkafkaMessage =
        "ssl://b:9093/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate "
        + "could not be verified, verify that ssl.ca.location is correctly configured or root CA certificates are installed "
        + "(install ca-certificates package) (after 5ms in state SSL_HANDSHAKE)"

    @Test("OpenSSL's reason replaces librdkafka's generic advice")
    func reasonReplacesAdvice() {
        let explained = TLSVerificationFailures.explain(Self.librdkafkaMessage, reason: TLSVerificationFailures.describe(x509Error: 10))
        #expect(
            explained
                == "ssl://b:9093/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: "
                + "the broker's certificate has expired (after 5ms in state SSL_HANDSHAKE)")
    }

    @Test(
        "Hostname mismatch, expiry and an unknown CA are told apart",
        arguments: [(62, "hostname mismatch"), (10, "expired"), (20, "unknown CA"), (2, "unknown CA")])
    func codes(code: Int32, words: String) {
        #expect(TLSVerificationFailures.describe(x509Error: code).contains(words))
    }

    @Test("A refused client key names the password as the likely cause only when one was given")
    func keyFailures() {
        let message = "ssl.key.location failed: error:0A080009:SSL routines::PEM lib"
        #expect(TLSKeyFailures.explain(message, properties: [("ssl.key.password", "x")]).contains("could not be decrypted"))
        #expect(TLSKeyFailures.explain(message, properties: []).contains("if it is encrypted"))
        #expect(TLSKeyFailures.explain("linger.ms out of range", properties: []) == "linger.ms out of range")
    }
}
