import Testing

@testable import RdKafka

/// `TLSConfiguration.cipherSuites`: the one typed way to choose TLS 1.2 cipher suites, since
/// `additionalProperties` may not set `ssl.cipher.suites` behind the typed settings' back.
@Suite("TLS cipher suites")
struct CipherSuiteTests {
    static let suites = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"

    func configuration(cipherSuites: String?) -> ProducerConfiguration {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.security = SecurityConfiguration(tls: TLSConfiguration(cipherSuites: cipherSuites))
        return configuration
    }

    @Test("The list reaches librdkafka as ssl.cipher.suites and shows in both descriptions")
    func applied() async throws {
        let configuration = configuration(cipherSuites: Self.suites)
        let properties = try configuration.librdkafkaProperties()
        #expect(properties.contains { $0.key == "ssl.cipher.suites" && $0.value == Self.suites })
        let producer = try KafkaProducer(configuration: configuration)
        #expect(producer.effectiveSecurity.cipherSuites == Self.suites)
        #expect(producer.effectiveSecurity.description == "Security(ssl, TLS(trust: system, verify: full, ciphers: \(Self.suites)))")
        #expect(producer.effectiveSecurity.description == configuration.security.description)
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("Without a list librdkafka keeps OpenSSL's defaults and nothing is reported")
    func defaults() async throws {
        let configuration = configuration(cipherSuites: nil)
        #expect(try !configuration.librdkafkaProperties().contains { $0.key == "ssl.cipher.suites" })
        let producer = try KafkaProducer(configuration: configuration)
        #expect(producer.effectiveSecurity.cipherSuites == nil)
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("An empty or blank list is refused, naming ssl.cipher.suites, rather than quietly meaning the defaults")
    func emptyRefused() {
        for blank in ["", " "] {
            let error = #expect(throws: KafkaError.self) { try configuration(cipherSuites: blank).librdkafkaProperties() }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.configurationKey == "ssl.cipher.suites")
        }
    }

    @Test("Surrounding whitespace is dropped, so librdkafka applies what the description shows")
    func whitespaceTrimmed() async throws {
        let configuration = configuration(cipherSuites: " \(Self.suites)\n")
        #expect(try configuration.librdkafkaProperties().contains { $0.key == "ssl.cipher.suites" && $0.value == Self.suites })
        let producer = try KafkaProducer(configuration: configuration)
        #expect(producer.effectiveSecurity.description == configuration.security.description)
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test(
        "Lists that let in unencrypted or unauthenticated ciphers, or lower the security level, are warned about by name",
        arguments: [
            ("HIGH:!aNULL:!eNULL:-NULL:!MD5", []),
            (suites, []),
            ("ALL:eNULL", ["eNULL"]),
            ("DEFAULT:@SECLEVEL=0", ["@SECLEVEL=0"]),
            ("HIGH, +aNULL ADH", ["+aNULL", "ADH"]),
        ])
    func weakeningWarned(list: String, weakening: [String]) {
        let warnings = SecurityConfiguration(tls: TLSConfiguration(cipherSuites: list)).warnings
        if weakening.isEmpty {
            #expect(warnings.isEmpty, "\(warnings)")
        } else {
            #expect(warnings.count == 1, "\(warnings)")
            #expect(warnings.first?.contains("let in \(weakening.joined(separator: ", ")):") == true, "\(warnings)")
        }
    }

    @Test("A list naming no cipher OpenSSL knows is refused when the producer is created, naming ssl.cipher.suites")
    func unknownCipherRefused() {
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration(cipherSuites: "NO-SUCH-CIPHER")) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.configurationKey == "ssl.cipher.suites", "\(String(describing: error))")
    }

    @Test("additionalProperties may not set ssl.cipher.suites; the refusal points at the typed setting")
    func additionalPropertiesPointAtTheTypedSetting() {
        var configuration = configuration(cipherSuites: nil)
        configuration.additionalProperties["ssl.cipher.suites"] = Self.suites
        let error = #expect(throws: KafkaError.self) { try configuration.librdkafkaProperties() }
        #expect(error?.configurationKey == "ssl.cipher.suites")
        #expect(error?.message.contains("TLSConfiguration.cipherSuites") == true, "\(String(describing: error))")
    }
}
