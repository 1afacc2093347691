import Foundation
import RdKafka
import Synchronization
import Testing

/// SASL against tansu started with --authentication. This tansu build rejects every user, so a
/// successful login cannot be shown here; what is shown is that the exchange reaches a real
/// broker and its refusal comes back as a typed error naming the mechanism.
@Suite("Real broker: SASL", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct SASLTests {
    let broker = BrokerEnvironment.current!

    func producer(_ sasl: SASLConfiguration) throws -> KafkaProducer {
        var configuration = ProducerConfiguration(bootstrapServers: [broker.sasl])
        configuration.security = SecurityConfiguration(sasl: sasl)
        return try KafkaProducer(configuration: configuration, logger: quietLogger)
    }

    @Test(
        "SCRAM reaches the broker and its refusal is a typed authentication error naming the mechanism",
        arguments: ["SCRAM-SHA-256", "SCRAM-SHA-512"])
    func scramRefused(mechanism: String) async throws {
        let sasl: SASLConfiguration =
            mechanism == "SCRAM-SHA-256"
            ? .scramSHA256(username: "alice", password: "alice-secret") : .scramSHA512(username: "alice", password: "alice-secret")
        let producer = try producer(sasl)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .authentication || error.code == .saslAuthenticationFailed, "\(error)")
        #expect(error.message.contains(mechanism), "\(error)")
        #expect(!error.message.contains("alice-secret"))
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("OAUTHBEARER: the provider is called on refresh and the broker's answer is a typed error")
    func oauthBearer() async throws {
        let calls = Atomic<Int>(0)
        let producer = try producer(
            .oauthBearer { _ in
                calls.wrappingAdd(1, ordering: .relaxed)
                return OAuthBearerToken(value: "header.payload.signature", expiry: Date().addingTimeInterval(600), principal: "alice")
            })
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(30)) }
        #expect(error.code == .authentication || error.code == .saslAuthenticationFailed, "\(error)")
        #expect(calls.load(ordering: .relaxed) >= 1)
        #expect(!error.message.contains("header.payload.signature"))
        await producer.shutdown(flushTimeout: .zero)
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
