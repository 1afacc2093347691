import RdKafka
import Testing

@Suite("Placement of records without an explicit partition, at the defaults", .timeLimit(.minutes(2)))
struct DefaultPartitioningTests {
    /// A producer at the library's defaults (linger and sticky partitioning included) on a
    /// 4-partition topic, with every partition with its leader.
    ///
    /// A turn whose partition librdkafka has not yet handed to its leader passes to the next
    /// partition, which shifts the first counts by whole turns. A record sent to each partition
    /// first makes the counts start once every partition has its leader.
    static func warmProducer(_ fixture: ClusterFixture, _ adjust: (inout ProducerConfiguration) -> Void = { _ in }) async throws
        -> KafkaProducer
    {
        var configuration = ProducerConfiguration(bootstrapServers: [fixture.cluster.bootstrapServers])
        adjust(&configuration)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        for partition in 0..<fixture.partitions { _ = try await producer.send(fixture.record("warm-up", partition: partition)) }
        return producer
    }

    @Test("40,000 keyless records land within 5 % of the mean on each of 4 partitions")
    func keylessRecordsSpreadEvenly() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        let producer = try await Self.warmProducer(fixture)
        let count = 40_000
        let results = await producer.send(contentsOf: (0..<count).map { _ in ProducerRecord(topic: fixture.topic, value: [1]) })
        var perPartition = [Int](repeating: 0, count: 4)
        for result in results { perPartition[Int(try result.get().partition)] += 1 }
        await producer.shutdown()
        // Keyless records take the partitions in turn, 1,000 records each, from a random first
        // partition, and every partition has its leader (the warm-up), so no turn is skipped.
        // 40,000 consecutive records are 10 whole rounds of the 4 partitions, so each gets
        // exactly 10,000 wherever the turns start: nothing is drawn at random per record, and
        // the bound of 5 % of the mean cannot be missed by chance. Sticking to one partition
        // for 10 ms at a time, chosen at random (librdkafka's own default), gives each partition
        // a whole number of those periods out of the few dozen such a burst lasts: counts
        // thousands apart (2,228 to 14,245 from the mean in ten runs).
        let mean = count / 4
        for partitionCount in perPartition {
            #expect(abs(partitionCount - mean) <= mean / 20, "delivered per partition: \(perPartition)")
        }
    }

    @Test("Keyless records skip a partition without a leader")
    func keylessRecordsSkipPartitionWithoutLeader() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 1, broker: -1)
        var configuration = ProducerConfiguration(bootstrapServers: [fixture.cluster.bootstrapServers])
        // A record that waited for partition 1's leader would fail after this, not hang the test.
        configuration.deliveryTimeout = .seconds(5)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        for partition: Int32 in [0, 2, 3] { _ = try await producer.send(fixture.record("warm-up", partition: partition)) }
        let results = await producer.send(contentsOf: (0..<8_000).map { _ in ProducerRecord(topic: fixture.topic, value: [1]) })
        let partitions = try results.map { try $0.get().partition }
        await producer.shutdown()
        #expect(!partitions.contains(1))
        #expect(Set(partitions) == [0, 2, 3], "the other partitions still take their turns")
    }

    @Test("Keyed records land where consistent_random's CRC-32 puts them, as with sticky partitioning")
    func keyedRecordsKeepTheirPlacement() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        let keys = (0..<400).map { "customer-\($0)" }
        var placements: [[Int32]] = []
        // The default, and librdkafka's own sticky partitioning (nil leaves its default).
        for sticky: Duration? in [.zero, nil] {
            let producer = try await Self.warmProducer(fixture) { $0.stickyPartitioningLinger = sticky }
            let results = await producer.send(contentsOf: keys.map { fixture.record("v", key: $0) })
            placements.append(try results.map { try $0.get().partition })
            await producer.shutdown()
        }
        let predicted = keys.map { Int32(crc32(Array($0.utf8)) % 4) }
        #expect(placements[0] == predicted, "at the default")
        #expect(placements[1] == predicted, "with sticky partitioning")
        #expect(Set(predicted) == [0, 1, 2, 3], "the keys cover every partition, so a wrong placement shows")
    }
}

/// CRC-32 as zlib computes it (reflected polynomial 0xEDB88320), which librdkafka's
/// `consistent` and `consistent_random` partitioners take modulo the partition count.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 0 ? 0 : 0xEDB8_8320) }
    }
    return ~crc
}
