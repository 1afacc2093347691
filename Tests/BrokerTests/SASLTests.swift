import Foundation
import RdKafka
import Synchronization
import Testing

/// Every SASL mechanism logging in for real, over SASL_PLAINTEXT and SASL_SSL: the gateway in
/// scripts/broker (scramp's SCRAM server, a PLAIN user table, unsecured-JWT OAUTHBEARER) in front
/// of tansu, and every record read back by kafka-python.
@Suite("Real broker: SASL", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct SASLTests {
    let broker = BrokerEnvironment.current!

    enum Mechanism: String, CaseIterable, CustomStringConvertible {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case oauthBearer = "OAUTHBEARER"

        var description: String { rawValue }

        /// The configuration for `user`; for OAUTHBEARER, an async provider of tokens naming it.
        func sasl(user: String, password: String, tokenLifetime: TimeInterval = 600, onCall: (@Sendable () -> Void)? = nil)
            -> SASLConfiguration
        {
            switch self {
            case .plain: return .plain(username: user, password: Secret(password))
            case .scramSHA256: return .scramSHA256(username: user, password: Secret(password))
            case .scramSHA512: return .scramSHA512(username: user, password: Secret(password))
            case .oauthBearer:
                return .oauthBearer { _ in
                    onCall?()
                    // Suspends like a real provider's network call would.
                    await Task.yield()
                    return unsecuredJWT(subject: user, expiry: Date().addingTimeInterval(tokenLifetime))
                }
            }
        }
    }

    func producer(_ sasl: SASLConfiguration, _ transport: SASLTransport, clientID: String = "sasl-test") throws -> KafkaProducer {
        var configuration = ProducerConfiguration(bootstrapServers: [broker.bootstrap(transport)])
        configuration.clientID = clientID
        configuration.security = SecurityConfiguration(
            tls: transport == .ssl ? TLSConfiguration(trustRoots: .file(broker.ca)) : nil, sasl: sasl)
        configuration.linger = .milliseconds(1)
        configuration.deliveryTimeout = .seconds(30)
        return try KafkaProducer(configuration: configuration, logger: quietLogger)
    }

    @Test(
        "Each mechanism logs in, delivers, and kafka-python reads the records back", arguments: Mechanism.allCases, SASLTransport.allCases)
    func loginDeliversAndReadsBack(mechanism: Mechanism, transport: SASLTransport) async throws {
        let clientID = "login-\(UUID().uuidString.prefix(8))"
        let producer = try producer(
            mechanism.sasl(user: SASLUsers.alice.name, password: SASLUsers.alice.password), transport, clientID: clientID)
        try await producer.waitUntilConnected(timeout: .seconds(20))
        #expect(producer.effectiveSecurity.securityProtocol == transport.rawValue)
        #expect(producer.effectiveSecurity.saslMechanism == mechanism.rawValue)
        try await sendAndReadBack(producer, broker: broker, transport: transport, stem: "sasl-\(mechanism)-\(transport)")
        let logins = try broker.logins(by: clientID, transport: transport)
        #expect(logins.contains { $0.contains("mechanism=\(mechanism) user=alice") }, "\(logins)")
    }

    @Test(
        "A wrong password or unknown principal fails waitUntilConnected within seconds, naming the mechanism, never the secret",
        arguments: Mechanism.allCases, SASLTransport.allCases)
    func refused(mechanism: Mechanism, transport: SASLTransport) async throws {
        // OAUTHBEARER has no password: its token names a principal the gateway does not know.
        let sasl = mechanism.sasl(user: mechanism == .oauthBearer ? "mallory" : SASLUsers.alice.name, password: "wrong-secret-42")
        let producer = try producer(sasl, transport)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .authentication || error.code == .saslAuthenticationFailed, "\(error)")
        #expect(error.message.contains(mechanism.rawValue), "\(error)")
        #expect(!error.message.contains("wrong-secret-42"))
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test(
        "Sessions that expire every 2 s are renewed mid-stream (KIP-368) and no record is lost",
        arguments: SASLTransport.allCases)
    func reauthenticationLosesNothing(transport: SASLTransport) async throws {
        let clientID = "reauth-\(UUID().uuidString.prefix(8))"
        let producer = try producer(
            .scramSHA512(username: SASLUsers.reauth.name, password: Secret(SASLUsers.reauth.password)), transport, clientID: clientID)
        let topic = BrokerEnvironment.uniqueTopic("reauth")
        // Spread over about 6 s, three session lifetimes: the pace is the load, not a wait for anything.
        let count = 60
        for index in 0..<count {
            _ = try await producer.send(ProducerRecord(topic: topic, value: "reauth-\(index)"))
            try await Task.sleep(for: .milliseconds(100))
        }
        await producer.shutdown()
        let values = try await broker.readBackValues(topic: topic, count: count, transport: transport)
        #expect(Set(values) == Set((0..<count).map { "reauth-\($0)" }))
        // A count above 1 is a new login on the same connection: a re-authentication.
        let logins = try broker.logins(by: clientID, transport: transport)
        #expect(logins.contains { $0.contains(" count=2 ") }, "\(logins)")
    }

    @Test(
        "Short-lived OAUTHBEARER tokens: the provider is called again before expiry and sends continue", arguments: SASLTransport.allCases)
    func shortLivedTokens(transport: SASLTransport) async throws {
        let calls = Atomic<Int>(0)
        let clientID = "token-\(UUID().uuidString.prefix(8))"
        let producer = try producer(
            Mechanism.oauthBearer.sasl(user: SASLUsers.alice.name, password: "", tokenLifetime: 3) {
                calls.wrappingAdd(1, ordering: .relaxed)
            },
            transport,
            clientID: clientID)
        let topic = BrokerEnvironment.uniqueTopic("token")
        let count = 70
        for index in 0..<count {
            _ = try await producer.send(ProducerRecord(topic: topic, value: "token-\(index)"))
            try await Task.sleep(for: .milliseconds(100))
        }
        await producer.shutdown()
        // 7 s of 3 s tokens: librdkafka asks for a new one at 80 % of each lifetime.
        #expect(calls.load(ordering: .relaxed) >= 3)
        let values = try await broker.readBackValues(topic: topic, count: count, transport: transport)
        #expect(Set(values) == Set((0..<count).map { "token-\($0)" }))
        // The gateway ends a session when its token expires, so 7 s of sends on 3 s tokens took
        // more than one successful login, each with a token the provider had just given. (Whether
        // librdkafka renews on the live connection or on a new one depends on its timers and the
        // machine's load; either keeps sends going, which is what a user relies on.)
        let logins = try broker.logins(by: clientID, transport: transport)
        #expect(logins.filter { $0.contains(" outcome=ok ") }.count >= 2, "\(logins)")
    }
}

@Suite("librdkafka under test")
struct LibrdkafkaVersionReport {
    @Test("Reports the run-time librdkafka and whether real-broker tests run")
    func report() {
        print(
            "librdkafka under test: \(librdkafkaVersion); real-broker tests: \(BrokerEnvironment.isUsable ? "enabled" : "skipped, \(BrokerEnvironment.disabledReason)")"
        )
        #expect(!librdkafkaVersion.isEmpty)
    }
}
