import RdKafka
import Testing

// The Partitioning article's code, verbatim, so that it keeps compiling and doing what it says.

func partitionHolding(customer: String, partitionCount: Int32) throws -> Int32 {
    try Partitioner.murmur2Partition(forKey: "customer-\(customer)".utf8, partitionCount: partitionCount)
}

/// Keys starting with "vip-" get partition 0 to themselves; the others share the rest, by
/// murmur2, and so do records without a key, at random.
func vipFirstConfiguration(brokers: [String]) -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: brokers)
    configuration.partitioner = .custom { key, partitionCount, _ in
        guard partitionCount > 1 else { return 0 }
        guard let key else { return Int32.random(in: 1..<partitionCount) }
        if key.starts(with: "vip-".utf8) { return 0 }
        return try 1 + Partitioner.murmur2Partition(forKey: key, partitionCount: partitionCount - 1)
    }
    return configuration
}

func placement(ofKey key: String, in topic: String, producer: KafkaProducer) async throws -> (partition: Int32, leader: Int32?) {
    let metadata = try await producer.metadata(forTopic: topic)
    let partition = try Partitioner.murmur2Partition(forKey: key.utf8, partitionCount: metadata.partitionCount)
    return (partition, metadata.partitions[Int(partition)].leader)
}

func stickyConfiguration(brokers: [String]) -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: brokers)
    configuration.stickyPartitioningLinger = .milliseconds(10)  // one partition, picked at random, per 10 ms
    return configuration
}

@Suite("Partitioning article", .timeLimit(.minutes(2)))
struct PartitioningArticleTests {
    @Test("partitionHolding predicts where a murmur2 producer writes the key")
    func predictionMatchesMurmur2Producer() async throws {
        let fixture = try ClusterFixture(partitions: 6)
        let producer = try fixture.producer { $0.partitioner = .murmur2Random }
        for customer in ["1", "42", "ada", "grace"] {
            let report = try await producer.send(fixture.record("v", key: "customer-\(customer)"))
            #expect(report.partition == (try partitionHolding(customer: customer, partitionCount: 6)), "customer \(customer)")
        }
        await producer.shutdown()
    }

    @Test("vipFirstConfiguration keeps partition 0 for vip keys and spreads the others over the rest")
    func vipFirst() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        var configuration = vipFirstConfiguration(brokers: [fixture.cluster.bootstrapServers])
        configuration.linger = .milliseconds(1)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        for key in ["vip-ada", "vip-1"] {
            #expect(try await producer.send(fixture.record("v", key: key)).partition == 0)
        }
        var used = Set<Int32>()
        for index in 0..<30 {
            let key = "customer-\(index)"
            let partition = try await producer.send(fixture.record("v", key: key)).partition
            #expect(partition == 1 + (try Partitioner.murmur2Partition(forKey: key.utf8, partitionCount: 3)))
            used.insert(partition)
        }
        #expect(used == [1, 2, 3])
        await producer.shutdown()
    }

    @Test("stickyConfiguration sticks for 10 ms, and while it sticks a burst of keyless records stays on one partition")
    func sticky() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        var configuration = stickyConfiguration(brokers: [fixture.cluster.bootstrapServers])
        // A record on each partition first: librdkafka sticks only to a partition it has handed
        // to its leader. Then, on a 60 s stick so that no 10 ms boundary falls inside the burst,
        // the article's choice with its period stretched: every keyless record on one partition.
        configuration.stickyPartitioningLinger = .seconds(60)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        for partition: Int32 in 0..<4 { _ = try await producer.send(fixture.record("warm-up", partition: partition)) }
        let results = await producer.send(contentsOf: (0..<400).map { _ in ProducerRecord(topic: fixture.topic, value: [1]) })
        #expect(Set(try results.map { try $0.get().partition }).count == 1)
        await producer.shutdown()
        #expect(stickyConfiguration(brokers: ["a:9092"]).stickyPartitioningLinger == .milliseconds(10))
    }

    @Test("placement(ofKey:in:producer:) names the partition a murmur2 producer writes the key to, and its leader")
    func placementMatches() async throws {
        let fixture = try ClusterFixture(brokers: 3, partitions: 5)
        for partition: Int32 in 0..<5 {
            try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: partition, broker: 1 + partition % 3)
        }
        let producer = try fixture.producer { $0.partitioner = .murmur2Random }
        for key in ["order-1", "order-2", "order-77"] {
            let predicted = try await placement(ofKey: key, in: fixture.topic, producer: producer)
            #expect(try await producer.send(fixture.record("v", key: key)).partition == predicted.partition)
            #expect(predicted.leader == 1 + predicted.partition % 3)
        }
        await producer.shutdown()
    }
}
