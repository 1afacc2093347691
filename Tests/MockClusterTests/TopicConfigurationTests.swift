import Logging
import RdKafka
import Synchronization
import Testing

@Suite("Per-topic settings", .timeLimit(.minutes(2)))
struct TopicConfigurationTests {
    @Test("A topic's delivery timeout applies to its records only: with every broker down, they fail early, others wait")
    func deliveryTimeoutPerTopic() async throws {
        let fixture = try ClusterFixture(topic: "patient", partitions: 1)
        try fixture.cluster.createTopic("hasty", partitions: 1)
        for broker in 1...3 { try fixture.cluster.setBrokerDown(Int32(broker)) }
        let producer = try fixture.producer {
            $0.deliveryTimeout = .seconds(60)
            var hasty = TopicConfiguration()
            hasty.deliveryTimeout = .seconds(1)
            $0.topics["hasty"] = hasty
        }
        let patientDone = Atomic<Bool>(false)
        let patient = Task {
            defer { patientDone.store(true, ordering: .sequentiallyConsistent) }
            return try await producer.send(ProducerRecord(topic: "patient", value: "p"))
        }
        let start = ContinuousClock.now
        do {
            _ = try await producer.send(ProducerRecord(topic: "hasty", value: "h"))
            Issue.record("a record was delivered with every broker down")
        } catch let error as KafkaError {
            #expect(error.code == .messageTimedOut)
            #expect(error.topic == "hasty")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        let patientFinishedEarly = patientDone.load(ordering: .sequentiallyConsistent)
        #expect(!patientFinishedEarly, "the other topic's record kept waiting")
        for broker in 1...3 { try fixture.cluster.setBrokerUp(Int32(broker)) }
        #expect(try await patient.value.topic == "patient")
        await producer.shutdown()
    }

    @Test("A topic's acks applies to its records only: acks 0 there gives reports without offsets")
    func acksPerTopic() async throws {
        let fixture = try ClusterFixture(topic: "acknowledged", partitions: 1)
        try fixture.cluster.createTopic("unacknowledged", partitions: 1)
        let producer = try fixture.producer {
            $0.acks = .all
            var unacknowledged = TopicConfiguration()
            unacknowledged.acks = Acks.none
            $0.topics["unacknowledged"] = unacknowledged
        }
        #expect(try await producer.send(ProducerRecord(topic: "unacknowledged", value: "u")).offset == nil)
        #expect(try await producer.send(ProducerRecord(topic: "acknowledged", value: "a")).offset == 0)
        await producer.shutdown()
    }

    @Test("A topic's compression applies to its batches only, as librdkafka's produce log shows")
    func compressionPerTopic() async throws {
        let fixture = try ClusterFixture(topic: "plain", partitions: 1)
        try fixture.cluster.createTopic("squeezed", partitions: 1)
        let box = CapturingLogHandlerBox()
        var logger = Logger(label: "test") { _ in box.handler() }
        logger.logLevel = .debug
        let producer = try fixture.producer(
            {
                $0.additionalProperties["debug"] = "msg"
                var squeezed = TopicConfiguration()
                squeezed.compression = .lz4
                $0.topics["squeezed"] = squeezed
            }, logger: logger)
        let value = [UInt8](repeating: 0x61, count: 10_000)  // compresses well, so lz4 is kept
        _ = try await producer.send(ProducerRecord(topic: "squeezed", value: value))
        _ = try await producer.send(ProducerRecord(topic: "plain", value: value))
        await producer.shutdown()
        let produceLines = box.entries.withLock { $0 }.map(\.message).filter { $0.contains("Produce MessageSet") }
        #expect(produceLines.contains { $0.contains("squeezed [0]") && $0.contains("lz4") }, "\(produceLines)")
        #expect(produceLines.contains { $0.contains("plain [0]") && $0.contains("uncompressed") }, "\(produceLines)")
        #expect(!produceLines.contains { $0.contains("plain [0]") && $0.contains("lz4") }, "\(produceLines)")
    }

    @Test("A topic's partitioner replaces the producer's for that topic only, Swift or named")
    func partitionerPerTopic() async throws {
        let fixture = try ClusterFixture(topic: "everywhere", partitions: 4)
        try fixture.cluster.createTopic("pinned", partitions: 4)
        try fixture.cluster.createTopic("java", partitions: 4)
        let producer = try fixture.producer {
            $0.partitioner = .custom { _, _, _ in 1 }
            var pinned = TopicConfiguration()
            pinned.partitioner = .custom { _, _, _ in 3 }
            $0.topics["pinned"] = pinned
            var java = TopicConfiguration()
            java.partitioner = .murmur2Random
            $0.topics["java"] = java
        }
        for key in ["a", "b", "customer-42"] {
            #expect(try await producer.send(ProducerRecord(topic: "everywhere", key: key, value: "v")).partition == 1)
            #expect(try await producer.send(ProducerRecord(topic: "pinned", key: key, value: "v")).partition == 3)
            #expect(
                try await producer.send(ProducerRecord(topic: "java", key: key, value: "v")).partition
                    == Partitioner.murmur2Partition(forKey: key.utf8, partitionCount: 4))
        }
        await producer.shutdown()
    }
}
