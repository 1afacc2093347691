import Foundation
import RdKafka
import Synchronization
import Testing

@Suite("Connecting", .timeLimit(.minutes(1)))
struct ConnectionTests {
    @Test("waitUntilConnected returns once a broker answers")
    func connects() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        try await producer.waitUntilConnected(timeout: .seconds(10))
        await producer.shutdown()
    }

    @Test("An address nobody listens on fails promptly with a typed error, not a delivery timeout")
    func unreachable() async throws {
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["127.0.0.1:1"]), logger: quietLogger)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(20)) }
        #expect(error.code == .transport, "\(error)")
        #expect(error.message.contains("127.0.0.1:1"), "the error names the broker: \(error)")
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("TLS to a broker that does not speak it fails promptly with a typed error")
    func tlsToPlaintextBroker() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer { $0.security = SecurityConfiguration(tls: TLSConfiguration()) }
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(20)) }
        #expect(error.code == .ssl, "\(error)")
        #expect(ContinuousClock.now - started < .seconds(10))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("OAUTHBEARER: the token provider is asked for a token, and the broker's SASL refusal is typed")
    func tokenProviderIsCalled() async throws {
        let fixture = try ClusterFixture()
        let calls = Atomic<Int>(0)
        let producer = try fixture.producer {
            $0.security = SecurityConfiguration(
                sasl: .oauthBearer { _ in
                    calls.wrappingAdd(1, ordering: .relaxed)
                    return OAuthBearerToken(value: "token", expiry: Date().addingTimeInterval(3600), principal: "swift-test")
                })
        }
        // librdkafka 2.0.2's mock brokers do not implement SASL, so the token cannot be used here;
        // the real-broker tests cover that. The provider must still have been asked first.
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(10)) }
        #expect(error.code == .authentication, "\(error)")
        #expect(error.message.contains("OAUTHBEARER"), "\(error)")
        #expect(calls.load(ordering: .relaxed) >= 1)
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("OAUTHBEARER: a token provider's error surfaces as a typed authentication error")
    func tokenProviderFailure() async throws {
        struct NoToken: Error, CustomStringConvertible { var description: String { "identity service unavailable" } }
        let fixture = try ClusterFixture()
        let producer = try fixture.producer { $0.security = SecurityConfiguration(sasl: .oauthBearer { _ in throw NoToken() }) }
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(20)) }
        #expect(error.code == .authentication, "\(error)")
        #expect(error.message.contains("identity service unavailable"), "\(error)")
        await producer.shutdown(flushTimeout: .zero)
    }
}
