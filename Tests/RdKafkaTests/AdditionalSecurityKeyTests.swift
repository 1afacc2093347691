import Foundation
import Testing

@testable import RdKafka

/// Every librdkafka security key is reachable through `additionalProperties` unless the typed
/// settings own it or it would weaken the connection; those are refused naming the typed
/// setting or the weakening, and the accepted ones are shown in both descriptions.
@Suite("Security keys in additionalProperties")
struct AdditionalSecurityKeyTests {
    struct Refusal: Sendable, CustomTestStringConvertible {
        let key: String
        var value = "x"
        /// What the refusal must name: the typed setting, or the weakening.
        let names: String
        var testDescription: String { "\(key)=\(value)" }
    }

    static func configuration(_ additional: [String: String] = [:]) -> ProducerConfiguration {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.security = SecurityConfiguration(tls: TLSConfiguration())
        configuration.additionalProperties = additional
        return configuration
    }

    @Test(
        "A key the typed security owns, or a weakening value, is refused naming the typed setting or the weakening",
        arguments: [
            Refusal(key: "security.protocol", value: "plaintext", names: "TLSConfiguration and SASLConfiguration"),
            Refusal(key: "enable.ssl.certificate.verification", value: "false", names: "TLSConfiguration.verification"),
            Refusal(key: "ssl.endpoint.identification.algorithm", value: "none", names: "TLSConfiguration.verification"),
            Refusal(key: "enable.sasl.oauthbearer.unsecure.jwt", value: "true", names: "unsigned tokens"),
            Refusal(key: "ssl.ca.location", names: "TLSConfiguration.trustRoots"),
            Refusal(key: "ssl_ca_location", names: "TLSConfiguration.trustRoots"),
            Refusal(key: "ssl.ca.certificate.stores", names: "TLSConfiguration.trustRoots"),
            Refusal(key: "ssl.certificate.pem", names: "TLSConfiguration.clientIdentity"),
            Refusal(key: "ssl.key.password", names: "TLSConfiguration.clientIdentity"),
            Refusal(key: "ssl.keystore.location", names: "TLSConfiguration.clientIdentity"),
            Refusal(key: "ssl.keystore.password", names: "TLSConfiguration.clientIdentity"),
            Refusal(key: "ssl.cipher.suites", names: "TLSConfiguration.cipherSuites"),
            Refusal(key: "ssl.crl.location", names: "TLSConfiguration.certificateRevocationListFile"),
            Refusal(key: "sasl.mechanisms", value: "PLAIN", names: "SASLConfiguration"),
            Refusal(key: "SASL.USERNAME", names: "SASLConfiguration.plain"),
            Refusal(key: "sasl.password", names: "SASLConfiguration.plain"),
            Refusal(key: "sasl.kerberos.keytab", names: "SASLConfiguration.gssapi"),
            Refusal(key: "sasl.oauthbearer.client.secret", names: "SASLConfiguration.oauthBearerOIDC"),
            Refusal(key: "sasl.oauthbearer.sub.claim.name", names: "SASLConfiguration.oauthBearerOIDC"),
            Refusal(key: "sasl.oauthbearer.grant.type", names: "SASLConfiguration.oauthBearerOIDC(jwtBearer:)"),
            Refusal(key: "sasl.oauthbearer.assertion.private.key.file", names: "SASLConfiguration.oauthBearerOIDC(jwtBearer:)"),
            Refusal(key: "sasl.oauthbearer.metadata.authentication.type", names: "SASLConfiguration.oauthBearerOIDC(azureIMDS:)"),
        ])
    func refused(_ refusal: Refusal) throws {
        let error = try #require(throws: KafkaError.self) {
            try Self.configuration([refusal.key: refusal.value]).librdkafkaProperties()
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == refusal.key)
        #expect(error.message.contains(refusal.names), "\(error)")
        #expect(error.message.contains("ProducerConfiguration.security"), "\(error)")
    }

    @Test("The weakenings' refusals say what they would weaken")
    func weakeningsSayWhy() throws {
        let jwt = try #require(throws: KafkaError.self) {
            try Self.configuration(["enable.sasl.oauthbearer.unsecure.jwt": "1"]).librdkafkaProperties()
        }
        #expect(jwt.message.contains("would weaken the connection's security"), "\(jwt)")
        let verification = try #require(throws: KafkaError.self) {
            try Self.configuration(["enable.ssl.certificate.verification": "false"]).librdkafkaProperties()
        }
        #expect(verification.message.contains(".insecureNoVerification, which is logged as a warning"), "\(verification)")
    }

    @Test("A key without a typed form that weakens nothing is applied as given")
    func acceptedKeysApplied() throws {
        let accepted = [
            "ssl.curves.list": "X25519", "ssl.sigalgs.list": "ECDSA+SHA256", "ssl.engine.id": "pkcs11", "ssl.providers": "default",
            "sasl.kerberos.kinit.cmd": "kinit -k", "sasl.kerberos.min.time.before.relogin": "0",
            "sasl.oauthbearer.config": "principal=admin", "enable.sasl.oauthbearer.unsecure.jwt": "false",
            "https.ca.location": "/etc/ssl/certs",
        ]
        let properties = try Self.configuration(accepted).librdkafkaProperties()
        for (key, value) in accepted {
            #expect(properties.contains { $0.key == key && $0.value == value }, "\(key)")
        }
    }

    @Test("The configured description shows the accepted keys, a secret one redacted")
    func configuredDescription() {
        let configuration = Self.configuration([
            "ssl.curves.list": "X25519", "sasl.oauthbearer.config": "principal=admin scope=secret-scope", "linger.ms": "5",
        ])
        #expect(
            configuration.securityDescription
                == "Security(ssl, TLS(trust: system, verify: full), additional(sasl.oauthbearer.config=<redacted>, ssl.curves.list=X25519))"
        )
        #expect(configuration.security.description == "Security(ssl, TLS(trust: system, verify: full))")
    }

    @Test("A producer reads the accepted keys back from librdkafka into effectiveSecurity")
    func effectiveSecurityReadsThemBack() async throws {
        let configuration = Self.configuration([
            "ssl.curves.list": "X25519:P-256", "ssl.sigalgs.list": "ECDSA+SHA256:RSA-PSS+SHA256",
            "sasl.kerberos.kinit.cmd": "kinit -R", "sasl.kerberos.min.time.before.relogin": "120000",
            "sasl.oauthbearer.config": "principal=admin", "client.rack": "a",
        ])
        let producer = try KafkaProducer(configuration: configuration)
        let effective = producer.effectiveSecurity
        #expect(
            effective.additionalSettings == [
                "ssl.curves.list": "X25519:P-256", "ssl.sigalgs.list": "ECDSA+SHA256:RSA-PSS+SHA256",
                "sasl.kerberos.kinit.cmd": "kinit -R", "sasl.kerberos.min.time.before.relogin": "120000",
                "sasl.oauthbearer.config": "<redacted>",
            ])
        #expect(effective.description == configuration.securityDescription)
        #expect(!effective.description.contains("principal=admin"))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("The effective settings show what librdkafka holds, not what was asked for")
    func effectiveFromLibrdkafkaValues() {
        let values = ["security.protocol": "ssl", "ssl.endpoint.identification.algorithm": "https", "ssl.curves.list": "P-384"]
        let effective = EffectiveSecurity(reading: { values[$0] }, additionalKeys: ["ssl.curves.list", "ssl.sigalgs.list"])
        #expect(effective.additionalSettings == ["ssl.curves.list": "P-384"])
        #expect(effective.description == "Security(ssl, TLS(trust: system, verify: full), additional(ssl.curves.list=P-384))")
    }

    @Test("A key a later librdkafka brought is refused naming the release it needs, or applied and read back")
    func newerKeyNamesTheRelease() async throws {
        let configuration = Self.configuration(["https.ca.location": "/etc/ssl/certs"])
        guard Self.loadedRelease.lexicographicallyPrecedes([2, 11]) else {
            let producer = try KafkaProducer(configuration: configuration)
            #expect(producer.effectiveSecurity.additionalSettings == ["https.ca.location": "/etc/ssl/certs"])
            await producer.shutdown(flushTimeout: .zero)
            return
        }
        let error = try #require(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == "https.ca.location")
        #expect(error.message == "'https.ca.location' needs librdkafka 2.11.0 or later, but the librdkafka loaded is \(librdkafkaVersion)")
    }

    /// The loaded librdkafka's major and minor release.
    static var loadedRelease: [Int] {
        librdkafkaVersion.split(separator: ".").prefix(2).compactMap { Int($0) }
    }

    @Test("The Azure IMDS form's query may not also come through additionalProperties")
    func azureQueryOwned() throws {
        var configuration = Self.configuration(["sasl.oauthbearer.config": "query=resource=x"])
        configuration.security.sasl = .oauthBearerOIDC(azureIMDS: OIDCAzureIMDS(query: "resource=y"))
        let error = try #require(throws: KafkaError.self) { try configuration.librdkafkaProperties() }
        #expect(error.configurationKey == "sasl.oauthbearer.config")
        #expect(error.message.contains("oauthBearerOIDC(azureIMDS:)"), "\(error)")
    }
}
