import RdKafka
import Testing

@Suite("Topic metadata", .timeLimit(.minutes(1)))
struct MetadataTests {
    @Test("metadata(forTopic:) gives the partition count and each partition's leader")
    func partitionsAndLeaders() async throws {
        let fixture = try ClusterFixture(brokers: 3, partitions: 4, replicationFactor: 2)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 2, broker: 3)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 3, broker: 1)
        let producer = try fixture.producer()
        let metadata = try await producer.metadata(forTopic: fixture.topic)
        #expect(metadata.topic == fixture.topic)
        #expect(metadata.partitionCount == 4)
        #expect(metadata.partitions.map(\.id) == [0, 1, 2, 3])
        #expect(metadata.partitions[2].leader == 3)
        #expect(metadata.partitions[3].leader == 1)
        for partition in metadata.partitions {
            #expect((1...3).contains(partition.leader ?? 0))
            #expect(partition.replicas.contains(partition.leader ?? 0))
        }
        await producer.shutdown()
    }

    @Test("A partition without a leader has none in the metadata")
    func leaderless() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 1, broker: -1)
        let producer = try fixture.producer()
        let metadata = try await producer.metadata(forTopic: fixture.topic)
        #expect(metadata.partitions[1].leader == nil)
        #expect(metadata.partitions[0].leader != nil)
        await producer.shutdown()
    }

    @Test("An unknown topic is a typed error naming it")
    func unknownTopic() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        // librdkafka 2.0.2's mock speaks Metadata v2, which cannot say "do not create": it creates
        // every topic asked about, so the broker's answer for a missing topic is injected.
        fixture.cluster.setTopicError(.unknownTopicOrPartition, topic: "no-such-topic")
        let producer = try fixture.producer()
        do {
            _ = try await producer.metadata(forTopic: "no-such-topic", timeout: .seconds(5))
            Issue.record("metadata for a topic that does not exist")
        } catch let error as KafkaError {
            #expect(error.code == .unknownTopicOrPartition)
            #expect(error.topic == "no-such-topic")
        }
        await producer.shutdown()
    }

    @Test("By default the mock cluster, like a broker with auto.create.topics.enable, creates an unknown topic")
    func unknownTopicAutoCreated() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let metadata = try await producer.metadata(forTopic: "created-on-demand")
        #expect(metadata.partitionCount >= 1)
        await producer.shutdown()
    }

    @Test("With no broker reachable the call ends at its timeout with a transport error")
    func noBroker() async throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        configuration.deliveryTimeout = .seconds(60)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        let start = ContinuousClock.now
        do {
            _ = try await producer.metadata(forTopic: "anything", timeout: .milliseconds(500))
            Issue.record("metadata without a broker")
        } catch let error as KafkaError {
            #expect(error.code == .transport || error.code == .timedOut, "\(error)")
            #expect(error.topic == "anything")
        }
        // Its own 500 ms timeout ends it, not the minute-long delivery timeout.
        #expect(ContinuousClock.now - start < .seconds(20))
        await producer.shutdown(flushTimeout: .milliseconds(10))
    }

    @Test("Bad arguments and a shut-down producer are typed errors")
    func refusals() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        await #expect(throws: KafkaError.self) { _ = try await producer.metadata(forTopic: fixture.topic, timeout: .seconds(-1)) }
        do {
            _ = try await producer.metadata(forTopic: "no spaces")
            Issue.record("metadata for an illegal topic name")
        } catch let error as KafkaError {
            #expect(error.code == .invalidArgument)
        }
        await producer.shutdown()
        do {
            _ = try await producer.metadata(forTopic: fixture.topic)
            Issue.record("metadata after shutdown")
        } catch let error as KafkaError {
            #expect(error.code == .shutdown)
        }
    }
}
