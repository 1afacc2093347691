import Foundation
import Testing

@testable import RdKafka

/// The typed forms of a PKCS#12 keystore and of librdkafka's OIDC options beyond client
/// credentials: the settings they stand for, their descriptions without secrets, and a clear
/// refusal where the librdkafka loaded lacks them.
@Suite("Typed security forms: PKCS#12 keystore, OIDC JWT bearer and Azure IMDS")
struct TypedSecurityFormTests {
    /// A readable file for the settings that only need one to exist.
    static let existingFile = URL(fileURLWithPath: #filePath).path

    static func properties(_ security: SecurityConfiguration) throws -> [String: String] {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.security = security
        return Dictionary(try configuration.librdkafkaProperties().map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    static var loadedRelease: [Int] { AdditionalSecurityKeyTests.loadedRelease }

    @Test("A PKCS#12 keystore is the client identity: location and password, the password never shown")
    func keystore() throws {
        let tls = TLSConfiguration(clientIdentity: .pkcs12(keystore: Self.existingFile, password: "keystore-secret"))
        let properties = try Self.properties(SecurityConfiguration(tls: tls))
        #expect(properties["ssl.keystore.location"] == Self.existingFile)
        #expect(properties["ssl.keystore.password"] == "keystore-secret")
        #expect(properties["ssl.certificate.location"] == nil)
        #expect(tls.description == "TLS(trust: system, client certificate: \(Self.existingFile), verify: full)")
        #expect(!"\(tls)".contains("keystore-secret"))
        #expect(!String(reflecting: tls).contains("keystore-secret"))
    }

    @Test("A keystore that cannot be read is refused naming ssl.keystore.location")
    func missingKeystore() throws {
        let error = try #require(throws: KafkaError.self) {
            try Self.properties(
                SecurityConfiguration(tls: TLSConfiguration(clientIdentity: .pkcs12(keystore: "/nonexistent.p12", password: "pw"))))
        }
        #expect(error.configurationKey == "ssl.keystore.location")
        #expect(error.message.contains("/nonexistent.p12"))
        #expect(!error.message.contains("pw"))
    }

    static let jwtBearer = OIDCJWTBearer(
        tokenEndpoint: "https://idp.example/token",
        assertion: .signed(
            with: .file(existingFile, passphrase: "key-passphrase"), algorithm: .es256,
            claims: .init(
                issuer: "svc", subject: "svc@example", audience: "https://idp.example", lifetime: .seconds(120),
                notBeforeLeeway: .seconds(5), includesJWTID: true)),
        scope: "kafka", extensions: ["cluster": "c1"], subjectClaimName: "azp")

    @Test("The JWT bearer grant sets the grant type, the signing key and each claim")
    func jwtBearerProperties() throws {
        let properties = try Self.properties(
            SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearerOIDC(jwtBearer: Self.jwtBearer)))
        #expect(properties["sasl.mechanisms"] == "OAUTHBEARER")
        #expect(properties["sasl.oauthbearer.method"] == "oidc")
        #expect(properties["sasl.oauthbearer.grant.type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        #expect(properties["sasl.oauthbearer.token.endpoint.url"] == "https://idp.example/token")
        #expect(properties["sasl.oauthbearer.assertion.algorithm"] == "ES256")
        #expect(properties["sasl.oauthbearer.assertion.private.key.file"] == Self.existingFile)
        #expect(properties["sasl.oauthbearer.assertion.private.key.passphrase"] == "key-passphrase")
        #expect(properties["sasl.oauthbearer.assertion.claim.iss"] == "svc")
        #expect(properties["sasl.oauthbearer.assertion.claim.sub"] == "svc@example")
        #expect(properties["sasl.oauthbearer.assertion.claim.aud"] == "https://idp.example")
        #expect(properties["sasl.oauthbearer.assertion.claim.exp.seconds"] == "120")
        #expect(properties["sasl.oauthbearer.assertion.claim.nbf.seconds"] == "5")
        #expect(properties["sasl.oauthbearer.assertion.claim.jti.include"] == "true")
        #expect(properties["sasl.oauthbearer.scope"] == "kafka")
        #expect(properties["sasl.oauthbearer.extensions"] == "cluster=c1")
        #expect(properties["sasl.oauthbearer.sub.claim.name"] == "azp")
        #expect(properties["sasl.oauthbearer.client.secret"] == nil)
        let description = SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearerOIDC(jwtBearer: Self.jwtBearer)).description
        #expect(
            description
                == "Security(sasl_ssl, TLS(trust: system, verify: full), SASL(OAUTHBEARER, OIDC JWT bearer: https://idp.example/token))")
        #expect(!description.contains("key-passphrase"))
    }

    @Test("An assertion from a file sets only the file, and a lifetime under a second is refused")
    func assertionFileAndLifetime() throws {
        let fromFile = OIDCJWTBearer(tokenEndpoint: "https://idp.example/token", assertion: .file(Self.existingFile))
        let properties = try Self.properties(SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearerOIDC(jwtBearer: fromFile)))
        #expect(properties["sasl.oauthbearer.assertion.file"] == Self.existingFile)
        #expect(properties.keys.filter { $0.hasPrefix("sasl.oauthbearer.assertion.") } == ["sasl.oauthbearer.assertion.file"])
        let short = OIDCJWTBearer(
            tokenEndpoint: "https://idp.example/token",
            assertion: .signed(with: .pem("-----BEGIN PRIVATE KEY-----\n"), claims: .init(lifetime: .milliseconds(500))))
        let error = try #require(throws: KafkaError.self) {
            try Self.properties(SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearerOIDC(jwtBearer: short)))
        }
        #expect(error.configurationKey == "sasl.oauthbearer.assertion.claim.exp.seconds")
    }

    @Test("Azure IMDS sets the metadata authentication type and the query; no query and no endpoint is refused")
    func azureIMDSProperties() throws {
        let imds = OIDCAzureIMDS(query: "api-version=2025-04-07&resource=api://kafka&client_id=abc")
        let properties = try Self.properties(SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearerOIDC(azureIMDS: imds)))
        #expect(properties["sasl.oauthbearer.method"] == "oidc")
        #expect(properties["sasl.oauthbearer.metadata.authentication.type"] == "azure_imds")
        #expect(properties["sasl.oauthbearer.config"] == "query=api-version=2025-04-07&resource=api://kafka&client_id=abc")
        #expect(properties["sasl.oauthbearer.token.endpoint.url"] == nil)
        for (bad, reason) in [(OIDCAzureIMDS(query: nil), "needs a query"), (OIDCAzureIMDS(query: "a=1,b=2"), "comma")] {
            let error = try #require(throws: KafkaError.self) {
                try Self.properties(SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearerOIDC(azureIMDS: bad)))
            }
            #expect(error.configurationKey == "sasl.oauthbearer.config")
            #expect(error.message.contains(reason), "\(error)")
        }
    }

    @Test(
        "Where the librdkafka loaded lacks an OIDC form, the producer's creation names the key and the release it needs",
        arguments: [
            (SASLConfiguration.oauthBearerOIDC(jwtBearer: jwtBearer), "sasl.oauthbearer.grant.type", "2.11.0", [2, 11]),
            (
                .oauthBearerOIDC(azureIMDS: OIDCAzureIMDS(query: "resource=x")), "sasl.oauthbearer.metadata.authentication.type", "2.12.0",
                [2, 12]
            ),
            (
                .oauthBearerOIDC(
                    OIDCClientCredentials(
                        tokenEndpoint: "https://idp.example/token", clientID: "c", clientSecret: "s", subjectClaimName: "azp")),
                "sasl.oauthbearer.sub.claim.name", "2.14.0", [2, 14]
            ),
        ])
    func olderLibrdkafkaNamesTheRelease(sasl: SASLConfiguration, key: String, release: String, needed: [Int]) async throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.security = SecurityConfiguration(tls: TLSConfiguration(), sasl: sasl)
        guard Self.loadedRelease.lexicographicallyPrecedes(needed) else {
            let producer = try KafkaProducer(configuration: configuration)
            #expect(producer.effectiveSecurity.saslMechanism == "OAUTHBEARER")
            await producer.shutdown(flushTimeout: .zero)
            return
        }
        let error = try #require(throws: KafkaError.self) { try KafkaProducer(configuration: configuration) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == key)
        #expect(error.message == "'\(key)' needs librdkafka \(release) or later, but the librdkafka loaded is \(librdkafkaVersion)")
    }
}
