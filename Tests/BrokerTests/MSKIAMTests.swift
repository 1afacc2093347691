import Foundation
import RdKafka
import RdKafkaAWS
import Synchronization
import Testing

/// AWS MSK IAM logins for real: the gateway recomputes each token's SigV4 signature with the
/// secret it knows for the access key and checks action, host, region, date and expiry, as MSK
/// does (scripts/broker/sasl_gateway.py); records are read back by kafka-python.
@Suite("Real broker: AWS MSK IAM", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct MSKIAMTests {
    let broker = BrokerEnvironment.current!
    let credentials = AWSCredentials(accessKeyID: SASLUsers.mskIAM.accessKeyID, secretAccessKey: Secret(SASLUsers.mskIAM.secret))

    func producer(_ security: SecurityConfiguration, clientID: String) throws -> KafkaProducer {
        var security = security
        // The one swap: the test CA instead of the system's roots, which cannot know it.
        security.tls?.trustRoots = .file(broker.ca)
        var configuration = ProducerConfiguration(bootstrapServers: [broker.saslSSL])
        configuration.clientID = clientID
        configuration.security = security
        configuration.linger = .milliseconds(1)
        configuration.deliveryTimeout = .seconds(30)
        return try KafkaProducer(configuration: configuration, logger: quietLogger)
    }

    @Test("The built-in signer logs in over SASL_SSL as the key's principal, delivers, and kafka-python reads the records back")
    func logsInAndDelivers() async throws {
        let clientID = "msk-iam-\(UUID().uuidString.prefix(8))"
        let producer = try producer(.awsMSKIAM(region: SASLUsers.mskIAM.region, credentials: credentials), clientID: clientID)
        try await producer.waitUntilConnected(timeout: .seconds(20))
        #expect(producer.effectiveSecurity.saslMechanism == "OAUTHBEARER")
        try await sendAndReadBack(producer, broker: broker, transport: .ssl, stem: "msk-iam")
        let logins = try broker.logins(by: clientID, transport: .ssl)
        #expect(logins.contains { $0.contains("mechanism=OAUTHBEARER user=\(SASLUsers.mskIAM.user) outcome=ok") }, "\(logins)")
    }

    enum Refusal: String, CaseIterable, CustomStringConvertible {
        case wrongSecret, expiredToken, otherRegion
        var description: String { rawValue }
    }

    @Test(
        "A wrong secret, an expired token and another region's token are refused within seconds, naming the cause, never a secret",
        arguments: Refusal.allCases)
    func refused(_ refusal: Refusal) async throws {
        let security: SecurityConfiguration
        let cause: String
        switch refusal {
        case .wrongSecret:
            security = .awsMSKIAM(
                region: SASLUsers.mskIAM.region,
                credentials: AWSCredentials(accessKeyID: SASLUsers.mskIAM.accessKeyID, secretAccessKey: "wrong-secret-42"))
            cause = "signature does not match"
        case .expiredToken:
            // Signed 20 minutes ago with the default 15-minute lifetime. librdkafka accepts only
            // tokens it believes unexpired, so the expiry it is told is in the future: what it
            // sends is a token MSK would find expired.
            let signer = MSKIAMTokenSigner(region: SASLUsers.mskIAM.region)
            let credentials = self.credentials
            security = .awsMSK { _ in
                var token = try signer.token(credentials: credentials, signingTime: Date().addingTimeInterval(-1200))
                token.expiry = Date().addingTimeInterval(600)
                return token
            }
            cause = "has expired"
        case .otherRegion:
            security = .awsMSKIAM(region: "eu-west-1", credentials: credentials)
            cause = "kafka.eu-west-1.amazonaws.com"
        }
        let clientID = "msk-iam-refused-\(UUID().uuidString.prefix(8))"
        let producer = try producer(security, clientID: clientID)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .authentication || error.code == .saslAuthenticationFailed, "\(error)")
        #expect(error.message.contains(cause), "\(error)")
        for secret in [SASLUsers.mskIAM.secret, "wrong-secret-42"] {
            #expect(!error.message.contains(secret))
            #expect(!"\(error)".contains(secret))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
        let failures = try broker.logins(by: clientID, transport: .ssl, succeeded: false)
        #expect(failures.contains { $0.contains(cause) }, "\(failures)")
    }

    @Test("Tokens signed for 3 s expire mid-stream: each is replaced by a newly signed one and no record is lost")
    func tokenExpiringMidStreamIsReplaced() async throws {
        let signings = Atomic<Int>(0)
        let provider = MSKIAMTokenProvider(region: SASLUsers.mskIAM.region, credentials: credentials, tokenLifetime: .seconds(3))
        let clientID = "msk-iam-expiry-\(UUID().uuidString.prefix(8))"
        let producer = try producer(
            SecurityConfiguration(
                tls: TLSConfiguration(),
                sasl: .oauthBearer { _ in
                    signings.wrappingAdd(1, ordering: .relaxed)
                    return try await provider.token()
                }), clientID: clientID)
        let topic = BrokerEnvironment.uniqueTopic("msk-iam-expiry")
        // Spread over about 7 s, more than two token lifetimes: the pace is the load, not a wait for anything.
        let count = 70
        for index in 0..<count {
            _ = try await producer.send(ProducerRecord(topic: topic, value: "msk-iam-\(index)"))
            try await Task.sleep(for: .milliseconds(100))
        }
        await producer.shutdown()
        #expect(signings.load(ordering: .relaxed) >= 3)
        let values = try await broker.readBackValues(topic: topic, count: count, transport: .ssl)
        #expect(Set(values) == Set((0..<count).map { "msk-iam-\($0)" }))
        // The gateway ends a session when its token expires, so 7 s of sends took more than one
        // login, each with a token signed moments before.
        let logins = try broker.logins(by: clientID, transport: .ssl)
        #expect(logins.filter { $0.contains(" outcome=ok ") }.count >= 2, "\(logins)")
    }
}
