import Foundation
import RdKafka
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Bad peers", .timeLimit(.minutes(1)))
struct BadPeerTests {
    @Test("A bootstrap address that does not resolve fails promptly with a typed error")
    func unresolvableAddress() async throws {
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: ["no-such-host.invalid:9092"]), logger: quietLogger)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(20)) }
        #expect([.resolve, .transport].contains(error.code), "\(error)")
        #expect(error.message.contains("no-such-host.invalid"), "\(error)")
        #expect(ContinuousClock.now - started < .seconds(15))
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("A listener that is not Kafka (it answers garbage) gives a typed error, no crash, and sends fail cleanly")
    func garbageBroker() async throws {
        let listener = try GarbageListener()
        defer { listener.stop() }
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:\(listener.port)"])
        configuration.deliveryTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(20)) }
        #expect(error.code == .badMessage, "\(error)")
        #expect(error.message.contains("Kafka listener"), "\(error)")
        #expect(ContinuousClock.now - started < .seconds(10))
        let sendError = try await #require(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: "anything", value: "x"))
        }
        #expect(sendError.code == .messageTimedOut, "\(sendError)")
        await producer.shutdown(flushTimeout: .zero)
    }
}

/// A TCP listener on 127.0.0.1 that answers every connection with bytes that are not Kafka.
final class GarbageListener: @unchecked Sendable {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let socket = try LoopbackListeningSocket()
        let descriptor = socket.descriptor
        self.descriptor = descriptor
        port = socket.port
        Thread.detachNewThread {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 { return }  // closed by stop()
                let garbage = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8) + [UInt8](repeating: 0xFF, count: 64)
                _ = garbage.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(connection)
            }
        }
    }

    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }
}
