import Foundation
import RdKafka
import RdKafkaAWS
import Testing

/// Every managed-service preset connecting for real with its own settings: only the bootstrap
/// address and the trust roots (the test CA instead of the system's) are swapped in. The gateway's
/// user table holds each service's forms of login.
@Suite(
    "Real broker: managed-service presets", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"),
    .timeLimit(.minutes(2)))
struct PresetTests {
    let broker = BrokerEnvironment.current!

    enum Preset: String, CaseIterable, CustomStringConvertible {
        case confluentCloud, awsMSKSCRAM, awsMSKIAM, awsMSKIAMSigned, azureEventHubs, redpanda, redpandaSHA512, aivenSCRAM, aivenMutualTLS

        var description: String { rawValue }
    }

    /// The preset's settings, exactly as a user would write them for the real service.
    func security(_ preset: Preset) -> SecurityConfiguration {
        switch preset {
        case .confluentCloud:
            return .confluentCloud(apiKey: SASLUsers.confluentAPIKey.name, apiSecret: Secret(SASLUsers.confluentAPIKey.password))
        case .awsMSKSCRAM:
            return .awsMSK(scramUsername: SASLUsers.msk.name, password: Secret(SASLUsers.msk.password))
        case .awsMSKIAM:
            return .awsMSK { _ in unsecuredJWT(subject: SASLUsers.msk.name, expiry: Date().addingTimeInterval(900)) }
        case .awsMSKIAMSigned:
            return .awsMSKIAM(
                region: SASLUsers.mskIAM.region,
                credentials: AWSCredentials(accessKeyID: SASLUsers.mskIAM.accessKeyID, secretAccessKey: Secret(SASLUsers.mskIAM.secret)))
        case .azureEventHubs:
            return .azureEventHubs(connectionString: Secret(SASLUsers.eventHubsConnectionString))
        case .redpanda:
            return .redpanda(username: SASLUsers.redpanda.name, password: Secret(SASLUsers.redpanda.password))
        case .redpandaSHA512:
            return .redpanda(username: SASLUsers.redpanda.name, password: Secret(SASLUsers.redpanda.password), sha512: true)
        case .aivenSCRAM:
            return .aiven(trustRoots: .file(broker.ca), scramUsername: SASLUsers.aiven.name, password: Secret(SASLUsers.aiven.password))
        case .aivenMutualTLS:
            return .aiven(
                trustRoots: .file(broker.ca), clientIdentity: .files(certificate: broker.clientCertificate, key: broker.clientKey))
        }
    }

    @Test("Each preset connects through the SASL_SSL or mTLS listener, delivers, and is read back", arguments: Preset.allCases)
    func presetEndToEnd(preset: Preset) async throws {
        var security = security(preset)
        let expectedProtocol = security.securityProtocol
        // The one swap: the test CA instead of the system's roots, which cannot know it.
        security.tls?.trustRoots = .file(broker.ca)
        let mutualTLS = preset == .aivenMutualTLS
        var configuration = ProducerConfiguration(bootstrapServers: [mutualTLS ? broker.mutualTLS : broker.saslSSL])
        configuration.clientID = "preset-\(preset)-\(UUID().uuidString.prefix(8))"
        configuration.security = security
        configuration.linger = .milliseconds(1)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        try await producer.waitUntilConnected(timeout: .seconds(20))
        #expect(producer.effectiveSecurity.securityProtocol == expectedProtocol)
        #expect(producer.effectiveSecurity.verifiesHostname)

        let topic = BrokerEnvironment.uniqueTopic("preset-\(preset)")
        let count = 10
        for index in 0..<count {
            _ = try await producer.send(ProducerRecord(topic: topic, value: "\(preset)-\(index)"))
        }
        await producer.shutdown()
        let values =
            if mutualTLS {
                try await broker.readBackValues([
                    broker.mutualTLS, topic, "\(count)", broker.ca, broker.clientCertificate, broker.clientKey,
                ])
            } else {
                try await broker.readBackValues(topic: topic, count: count, transport: .ssl)
            }
        #expect(Set(values) == Set((0..<count).map { "\(preset)-\($0)" }))
        if !mutualTLS {
            let logins = try broker.logins(by: configuration.clientID, transport: .ssl)
            #expect(!logins.isEmpty)
        }
    }
}
