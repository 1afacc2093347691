import Foundation
import Logging
import RdKafka
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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

    @Test("OAUTHBEARER: the token provider is handed sasl.oauthbearer.config from additionalProperties")
    func tokenProviderGetsItsConfiguration() async throws {
        let fixture = try ClusterFixture()
        let received = Mutex<[String?]>([])
        let producer = try fixture.producer {
            $0.security = SecurityConfiguration(
                sasl: .oauthBearer { configuration in
                    received.withLock { $0.append(configuration) }
                    return OAuthBearerToken(value: "token", expiry: Date().addingTimeInterval(3600), principal: "swift-test")
                })
            $0.additionalProperties["sasl.oauthbearer.config"] = "audience=kafka scope=produce"
        }
        // The mock brokers refuse the login (no SASL); the provider was asked before that.
        await #expect(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(10)) }
        await producer.shutdown(flushTimeout: .zero)
        let configurations = received.withLock { $0 }
        #expect(!configurations.isEmpty)
        #expect(configurations.allSatisfy { $0 == "audience=kafka scope=produce" }, "\(configurations)")
        #expect(producer.effectiveSecurity.additionalSettings == ["sasl.oauthbearer.config": "<redacted>"])
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

    @Test("A cancelled waitUntilConnected returns promptly with cancelled, even against a listener that never answers")
    func cancelledAgainstSilentListener() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["127.0.0.1:\(listener.port)"]), logger: quietLogger)
        // On an executor that counts its jobs: the task's first job ends when it suspends inside
        // the wait, after registering as a waiter, so the cancellation below finds it waiting.
        let executor = ControlledExecutor()
        let waiter = Task(executorPreference: executor) { try await producer.waitUntilConnected(timeout: .seconds(10)) }
        try await waitUntil { executor.finishedJobs >= 1 }
        let cancelled = ContinuousClock.now
        waiter.cancel()
        let error = try await #require(throws: KafkaError.self) { try await waiter.value }
        #expect(error.code == .cancelled, "\(error)")
        // Well before the 10 s timeout (which would also have thrown another code), with room for a loaded machine.
        #expect(ContinuousClock.now - cancelled < .seconds(5), "returned \(ContinuousClock.now - cancelled) after the cancellation")
        // A later wait is not disturbed by the cancelled one.
        let late = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .milliseconds(300)) }
        #expect(late.code != .cancelled, "\(late)")
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("A task cancelled before it waits to connect fails with cancelled at once")
    func cancelledBeforeWaiting() async throws {
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["127.0.0.1:1"]), logger: quietLogger)
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await producer.waitUntilConnected(timeout: .seconds(10))
        }
        let error = try await #require(throws: KafkaError.self) { try await waiter.value }
        #expect(error.code == .cancelled)
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("A token refresh asked for while shutdown flushes still reaches librdkafka")
    func tokenRefreshDuringShutdown() async throws {
        struct NoToken: Error, CustomStringConvertible { var description: String { "identity service unavailable" } }
        let fixture = try ClusterFixture()
        let box = CapturingLogHandlerBox()
        let release = AsyncStream.makeStream(of: Void.self)
        let released = Atomic<Bool>(false)
        let producer = try fixture.producer(
            {
                $0.security = SecurityConfiguration(
                    sasl: .oauthBearer { _ in
                        // Answers only once shutdown is under way (later requests at once).
                        if !released.load(ordering: .relaxed) {
                            for await _ in release.stream { break }
                        }
                        throw NoToken()
                    })
            }, logger: Logger(label: "test") { _ in box.handler() })
        // Without a token nothing connects, so this record keeps shutdown's flush waiting.
        try producer.tryEnqueue(fixture.record("waits for a token"))
        // Long enough that the refusal, whenever the provider's task gets to run on a loaded
        // machine, lands while shutdown is still flushing.
        let shutdown = Task { await producer.shutdown(flushTimeout: .seconds(10)) }
        try await waitUntil {
            do {
                try producer.tryEnqueue(fixture.record("probe"))
                return false
            } catch { return (error as? KafkaError)?.code == .shutdown }
        }
        released.store(true, ordering: .relaxed)
        release.continuation.yield()
        await shutdown.value
        let reachedLibrdkafka = box.entries.withLock { entries in
            entries.contains { $0.message == "librdkafka error" && ($0.metadata["error"] ?? "").contains("identity service unavailable") }
        }
        #expect(reachedLibrdkafka, "librdkafka was told the refresh failed, and reported it as an error event")
    }
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes the handshake, and then
/// nothing ever answers.
final class SilentListener: Sendable {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let socket = try LoopbackListeningSocket()
        descriptor = socket.descriptor
        port = socket.port
    }

    func stop() {
        close(descriptor)
    }
}
