import Foundation
import RdKafka
import Testing

@Suite("Partitioners", .timeLimit(.minutes(2)))
struct PartitionerTests {
    struct Vector {
        var key: [UInt8]
        var partitions: Int32
        var partition: Int32
    }

    /// The table from scripts/generate-murmur2-vectors.py (kafka-python's murmur2, as Java's
    /// default partitioner computes it).
    static func vectors() throws -> [Vector] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/murmur2-partitions.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let hex = Array(fields[0].utf8)
            let key = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            return Vector(key: key, partitions: Int32(fields[1])!, partition: Int32(fields[2])!)
        }
    }

    @Test("murmur2Random places every key where Java's murmur2 partitioner does", arguments: [1, 3, 7, 64] as [Int32])
    func murmur2RandomMatchesJava(partitions: Int32) async throws {
        let vectors = try Self.vectors().filter { $0.partitions == partitions }
        try #require(vectors.count > 60)
        let fixture = try ClusterFixture(topic: "murmur2-\(partitions)", partitions: partitions)
        let producer = try fixture.producer { $0.partitioner = .murmur2Random }
        let records = vectors.map { ProducerRecord(topic: fixture.topic, key: $0.key, value: [1]) }
        let results = await producer.send(contentsOf: records)
        for (vector, result) in zip(vectors, results) {
            let report = try result.get()
            #expect(report.partition == vector.partition, "key \(vector.key) with \(partitions) partitions")
        }
        await producer.shutdown()
    }

    @Test("Every named partitioner is accepted by librdkafka")
    func allPartitionersAccepted() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        for partitioner: Partitioner in [.random, .consistent, .consistentRandom, .murmur2, .murmur2Random, .fnv1a, .fnv1aRandom] {
            let producer = try fixture.producer { $0.partitioner = partitioner }
            let report = try await producer.send(fixture.record("v", key: "k"))
            #expect((0..<3).contains(report.partition))
            await producer.shutdown()
        }
    }

    @Test("murmur2Partition computes what kafka-python's murmur2 does, for every vector")
    func murmur2PartitionMatchesVectors() throws {
        let vectors = try Self.vectors()
        try #require(vectors.count > 250)
        for vector in vectors {
            #expect(
                try Partitioner.murmur2Partition(forKey: vector.key, partitionCount: vector.partitions) == vector.partition,
                "key \(vector.key) with \(vector.partitions) partitions")
        }
        // Any sequence of bytes: a string's UTF-8 view gives what its bytes give.
        #expect(
            try Partitioner.murmur2Partition(forKey: "customer-42".utf8, partitionCount: 7)
                == Partitioner.murmur2Partition(forKey: Array("customer-42".utf8), partitionCount: 7))
    }

    @Test("murmur2Partition refuses a partition count below 1, naming it", arguments: [0, -3] as [Int32])
    func murmur2PartitionRefusesNoPartitions(count: Int32) {
        #expect {
            try Partitioner.murmur2Partition(forKey: [1, 2, 3], partitionCount: count)
        } throws: { error in
            (error as? KafkaError)?.code == .invalidArgument && (error as? KafkaError)?.message.contains("partitionCount") == true
        }
    }
}
