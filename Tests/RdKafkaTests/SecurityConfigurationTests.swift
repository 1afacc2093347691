import Foundation
import RdKafkaBridge
import Testing

@testable import RdKafka

@Suite("Security configuration")
struct SecurityConfigurationTests {
    func settings(_ security: SecurityConfiguration) throws -> [String: String] {
        Dictionary(try security.librdkafkaProperties().map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("The protocol follows from what is set")
    func securityProtocol() {
        #expect(SecurityConfiguration.plaintext.securityProtocol == "plaintext")
        #expect(SecurityConfiguration(tls: TLSConfiguration()).securityProtocol == "ssl")
        #expect(SecurityConfiguration(sasl: .plain(username: "u", password: "p")).securityProtocol == "sasl_plaintext")
        #expect(SecurityConfiguration(tls: TLSConfiguration(), sasl: .plain(username: "u", password: "p")).securityProtocol == "sasl_ssl")
    }

    @Test("Confluent Cloud: SASL_SSL and PLAIN with the API key")
    func confluentCloud() throws {
        #expect(
            try settings(.confluentCloud(apiKey: "KEY", apiSecret: "SECRET")) == [
                "security.protocol": "sasl_ssl", "ssl.endpoint.identification.algorithm": "https",
                "sasl.mechanisms": "PLAIN", "sasl.username": "KEY", "sasl.password": "SECRET",
            ])
    }

    @Test("AWS MSK with SCRAM: SASL_SSL and SCRAM-SHA-512")
    func awsMSKScram() throws {
        #expect(
            try settings(.awsMSK(scramUsername: "alice", password: "pw")) == [
                "security.protocol": "sasl_ssl", "ssl.endpoint.identification.algorithm": "https",
                "sasl.mechanisms": "SCRAM-SHA-512", "sasl.username": "alice", "sasl.password": "pw",
            ])
    }

    @Test("AWS MSK with IAM: SASL_SSL and OAUTHBEARER through the token provider")
    func awsMSKIAM() throws {
        let security = SecurityConfiguration.awsMSK { _ in OAuthBearerToken(value: "t", expiry: Date(), principal: "p") }
        #expect(
            try settings(security) == [
                "security.protocol": "sasl_ssl", "ssl.endpoint.identification.algorithm": "https", "sasl.mechanisms": "OAUTHBEARER",
            ])
        #expect(security.tokenProvider != nil)
        #expect(security.requiredFeatures == ["ssl", "sasl_oauthbearer"])
    }

    @Test("Azure Event Hubs: PLAIN with the literal user $ConnectionString")
    func azureEventHubs() throws {
        let connection: Secret = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v"
        #expect(
            try settings(.azureEventHubs(connectionString: connection)) == [
                "security.protocol": "sasl_ssl", "ssl.endpoint.identification.algorithm": "https",
                "sasl.mechanisms": "PLAIN", "sasl.username": "$ConnectionString", "sasl.password": connection.value,
            ])
    }

    @Test("Aiven with mutual TLS: the CA and the client certificate and key")
    func aivenMutualTLS() throws {
        let files = try TemporaryPEMFiles()
        let security = SecurityConfiguration.aiven(
            trustRoots: .file(files.ca), clientIdentity: .files(certificate: files.certificate, key: files.key))
        #expect(
            try settings(security) == [
                "security.protocol": "ssl", "ssl.endpoint.identification.algorithm": "https", "ssl.ca.location": files.ca,
                "ssl.certificate.location": files.certificate, "ssl.key.location": files.key,
            ])
    }

    @Test("Aiven and Redpanda with SCRAM")
    func scramPresets() throws {
        let aiven = try settings(.aiven(trustRoots: .pem(TemporaryPEMFiles.certificatePEM), scramUsername: "u", password: "p"))
        #expect(aiven["sasl.mechanisms"] == "SCRAM-SHA-256")
        #expect(aiven["ssl.ca.pem"] == TemporaryPEMFiles.certificatePEM)
        #expect(try settings(.redpanda(username: "u", password: "p"))["sasl.mechanisms"] == "SCRAM-SHA-256")
        #expect(try settings(.redpanda(username: "u", password: "p", sha512: true))["sasl.mechanisms"] == "SCRAM-SHA-512")
    }

    @Test("Turning verification off takes the explicitly named option")
    func verification() throws {
        let chainOnly = try settings(SecurityConfiguration(tls: TLSConfiguration(verification: .chainOnly)))
        #expect(chainOnly["ssl.endpoint.identification.algorithm"] == "none")
        #expect(chainOnly["enable.ssl.certificate.verification"] == nil)
        let none = SecurityConfiguration(tls: TLSConfiguration(verification: .insecureNoVerification))
        #expect(try settings(none)["enable.ssl.certificate.verification"] == "false")
        #expect(none.isInsecure)
        #expect(!SecurityConfiguration(tls: TLSConfiguration()).isInsecure)
    }

    @Test("Secrets never show in descriptions, dumps or interpolation")
    func secretsAreRedacted() {
        let password: Secret = "hunter2-password"
        let key: Secret = "-----BEGIN PRIVATE KEY-----hunter2-key"
        let security = SecurityConfiguration(
            tls: TLSConfiguration(clientIdentity: .pem(certificate: "cert", key: key, keyPassword: password)),
            sasl: .scramSHA512(username: "alice", password: password))
        var dumped = ""
        dump(security, to: &dumped)
        var configuration = ProducerConfiguration(bootstrapServers: ["b:9093"])
        configuration.security = security
        var dumpedConfiguration = ""
        dump(configuration, to: &dumpedConfiguration)
        for text in [
            "\(password)", String(describing: password), String(reflecting: password), "\(security)", String(reflecting: security),
            dumped, dumpedConfiguration, "\(configuration)",
        ] {
            #expect(!text.contains("hunter2"), "leaked in: \(text)")
        }
        #expect("\(security)".contains("alice"), "non-secret parts stay visible")
    }

    @Test("A CA file that does not exist is refused, naming the key and the path")
    func missingCAFile() {
        let error = #expect(throws: KafkaError.self) {
            try settings(SecurityConfiguration(tls: TLSConfiguration(trustRoots: .file("/nonexistent/ca.pem"))))
        }
        #expect(error?.configurationKey == "ssl.ca.location")
        #expect(error?.message.contains("/nonexistent/ca.pem") == true)
    }

    @Test("PEM text without a certificate or key block is refused")
    func badPEM() {
        let ca = #expect(throws: KafkaError.self) {
            try settings(SecurityConfiguration(tls: TLSConfiguration(trustRoots: .pem("garbage"))))
        }
        #expect(ca?.configurationKey == "ssl.ca.pem")
        let key = #expect(throws: KafkaError.self) {
            try settings(
                SecurityConfiguration(
                    tls: TLSConfiguration(clientIdentity: .pem(certificate: TemporaryPEMFiles.certificatePEM, key: "not a key"))))
        }
        #expect(key?.configurationKey == "ssl.key.pem")
        #expect(key.map { !$0.message.contains("not a key") } == true, "the key's text is not echoed")
    }

    @Test("Empty SASL credentials are refused")
    func emptyCredentials() {
        let user = #expect(throws: KafkaError.self) { try settings(SecurityConfiguration(sasl: .plain(username: "", password: "p"))) }
        #expect(user?.configurationKey == "sasl.username")
        let password = #expect(throws: KafkaError.self) {
            try settings(SecurityConfiguration(sasl: .scramSHA256(username: "u", password: "")))
        }
        #expect(password?.configurationKey == "sasl.password")
    }

    @Test("A feature the linked librdkafka lacks is refused when the client is created, naming it")
    func missingFeature() {
        let error = #expect(throws: KafkaError.self) {
            try bridged { () throws(NativeError) in
                try ClientHandle(properties: [("bootstrap.servers", "b:1")], logLevel: 3, requiredFeatures: ["sasl_no_such_mechanism"])
            }
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("sasl_no_such_mechanism") == true)
        #expect(error?.configurationKey == "sasl.mechanisms")
    }

    @Test("PEM that does not parse is refused by librdkafka at creation, naming the key")
    func unparsablePEM() {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.security = SecurityConfiguration(
            tls: TLSConfiguration(trustRoots: .pem("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")))
        let error = #expect(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.configurationKey == "ssl.ca.pem", "\(String(describing: error))")
    }
}

/// A throwaway certificate and key written to files, for settings that check files exist.
struct TemporaryPEMFiles {
    static let certificatePEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    let ca: String
    let certificate: String
    let key: String

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rdkafka-pem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        ca = folder.appendingPathComponent("ca.pem").path
        certificate = folder.appendingPathComponent("client.pem").path
        key = folder.appendingPathComponent("client.key").path
        try Self.certificatePEM.write(toFile: ca, atomically: true, encoding: .utf8)
        try Self.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        try "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n".write(toFile: key, atomically: true, encoding: .utf8)
    }
}
