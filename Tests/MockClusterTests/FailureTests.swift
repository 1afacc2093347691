import Foundation
import RdKafka
import Testing

@Suite("Failures", .timeLimit(.minutes(2)))
struct FailureTests {
    @Test("A broker taken down and brought back mid-stream loses nothing")
    func brokerDownThenUp() async throws {
        let fixture = try ClusterFixture(brokers: 3, partitions: 3, replicationFactor: 3)
        let producer = try fixture.producer { $0.deliveryTimeout = .seconds(60) }
        let first = (0..<500).map { fixture.record("before-\($0)") }
        let second = (0..<500).map { fixture.record("during-\($0)") }
        let before = await producer.send(contentsOf: first)
        try fixture.cluster.setBrokerDown(1)
        let during = Task { await producer.send(contentsOf: second) }
        try fixture.cluster.setBrokerUp(1)
        let results = before + (await during.value)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        await producer.shutdown()
        #expect(try await fixture.readBack(expecting: 1000).count == 1000)
    }

    @Test("With every broker down, each awaiting send fails with a timeout and none hangs")
    func deliveryTimeoutWhenAllBrokersDown() async throws {
        let fixture = try ClusterFixture(brokers: 2, partitions: 2)
        let producer = try fixture.producer { $0.deliveryTimeout = .seconds(2) }
        _ = try await producer.send(fixture.record("warm-up"))  // metadata known: later records are queued for partitions
        try fixture.cluster.setBrokerDown(1)
        try fixture.cluster.setBrokerDown(2)
        let started = ContinuousClock.now
        let errors = await withTaskGroup(of: KafkaError?.self) { group in
            for index in 0..<100 {
                group.addTask {
                    do {
                        _ = try await producer.send(fixture.record("\(index)"))
                        return nil
                    } catch {
                        return error as? KafkaError
                    }
                }
            }
            return await group.reduce(into: [KafkaError?]()) { $0.append($1) }
        }
        #expect(errors.count == 100)
        #expect(errors.allSatisfy { $0?.code == .messageTimedOut })
        #expect(errors.first??.topic == fixture.topic)
        #expect(errors.first??.isRetriable == true)
        #expect(ContinuousClock.now - started < .seconds(15))
        await producer.shutdown()
    }

    @Test("An unknown configuration key is refused, naming the key")
    func unknownKey() throws {
        let fixture = try ClusterFixture()
        let error = try #require(throws: KafkaError.self) {
            try fixture.producer { $0.additionalProperties["no.such.setting"] = "1" }
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == "no.such.setting")
        #expect(error.message.contains("no.such.setting"))
    }

    @Test(
        "A bad value is refused with librdkafka's reason, naming the key",
        arguments: [("acks", "7"), ("linger.ms", "-5"), ("compression.codec", "brotli"), ("partitioner", "nope")])
    func badValue(key: String, value: String) throws {
        let fixture = try ClusterFixture()
        let error = try #require(throws: KafkaError.self) {
            try fixture.producer { $0.additionalProperties[key] = value }
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.configurationKey == key)
        #expect(!error.message.isEmpty)
    }

    @Test("Typed values librdkafka refuses name their key")
    func typedBadValues() throws {
        let fixture = try ClusterFixture()
        let linger = try #require(throws: KafkaError.self) { try fixture.producer { $0.linger = .milliseconds(-5) } }
        #expect(linger.configurationKey == "linger.ms")
        #expect(linger.message.contains("-5"))
        // One log line: librdkafka ends some range errors with a newline, which must not survive.
        #expect(!linger.message.contains("\n"))
        let level = try #require(throws: KafkaError.self) { try fixture.producer { $0.compressionLevel = 99 } }
        #expect(level.configurationKey == "compression.level")
        let servers = try #require(throws: KafkaError.self) {
            try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: []))
        }
        #expect(servers.configurationKey == "bootstrap.servers")
    }

    @Test("Contradictory settings fail at init with the key that contradicts")
    func contradictions() throws {
        let fixture = try ClusterFixture()
        let acks = try #require(throws: KafkaError.self) {
            try fixture.producer {
                $0.enableIdempotence = true; $0.acks = .leader
            }
        }
        #expect(acks.configurationKey == "acks")
        let inFlight = try #require(throws: KafkaError.self) {
            try fixture.producer {
                $0.enableIdempotence = true; $0.maxInFlightRequestsPerConnection = 10
            }
        }
        #expect(inFlight.configurationKey == "max.in.flight")
        let raw = try #require(throws: KafkaError.self) {
            try fixture.producer { $0.additionalProperties = ["enable.idempotence": "true", "acks": "1"] }
        }
        #expect(raw.code == .invalidConfiguration)
        #expect(raw.message.contains("acks"))
        let managed = try #require(throws: KafkaError.self) {
            try fixture.producer { $0.additionalProperties["delivery.report.only.error"] = "true" }
        }
        #expect(managed.configurationKey == "delivery.report.only.error")
        // Idempotence with its defaults is fine.
        _ = try fixture.producer { $0.enableIdempotence = true }
    }

    @Test("An oversize record fails at once naming the limit, and the producer goes on")
    func oversizeRecord() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer { $0.messageMaxBytes = 10_000 }
        let big = ProducerRecord(topic: fixture.topic, value: [UInt8](repeating: 1, count: 20_000))
        let error = try await #require(throws: KafkaError.self) { try await producer.send(big) }
        #expect(error.code == .messageSizeTooLarge)
        #expect(error.configurationKey == "message.max.bytes")
        #expect(error.topic == fixture.topic)
        #expect(try await producer.send(fixture.record("small")).offset != nil)
        await producer.shutdown()
    }

    @Test("An explicit partition that does not exist fails naming topic and partition")
    func unknownPartition() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        let producer = try fixture.producer()
        _ = try await producer.send(fixture.record("metadata"))
        let error = try await #require(throws: KafkaError.self) {
            try await producer.send(fixture.record("x", partition: 7))
        }
        #expect(error.code == .unknownPartition)
        #expect(error.topic == fixture.topic)
        #expect(error.partition == 7)
        #expect(try await producer.send(fixture.record("still works")).offset != nil)
        await producer.shutdown()
    }

    @Test("A negative partition is refused rather than read as 'automatic'")
    func negativePartition() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("x", partition: -1)) }
        #expect(error.code == .invalidRecord)
        #expect(error.partition == -1)
        await producer.shutdown()
    }

    @Test("Empty and illegal topic names are refused before reaching a broker", arguments: ["", "has space", "a/b", ".."])
    func illegalTopic(name: String) async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        let error = try await #require(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: name, value: "x"))
        }
        #expect(error.code == .invalidRecord)
        #expect(error.topic == name)
        await producer.shutdown()
    }

    @Test("Sending after shutdown throws shutdown")
    func sendAfterShutdown() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        await producer.shutdown()
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("late")) }
        #expect(error.code == .shutdown)
        #expect(throws: KafkaError.self) { try producer.tryEnqueue(fixture.record("late")) }
        let results = await producer.send(contentsOf: [fixture.record("late")])
        #expect(throws: KafkaError.self) { try results[0].get() }
        await producer.shutdown()  // a second call returns too
    }
}
