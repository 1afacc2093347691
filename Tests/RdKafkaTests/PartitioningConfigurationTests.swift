import Testing

@testable import RdKafka

@Suite("Partitioning settings")
struct PartitioningConfigurationTests {
    func properties(_ adjust: (inout ProducerConfiguration) -> Void) throws -> [String: String] {
        var configuration = ProducerConfiguration(bootstrapServers: ["a:9092"])
        adjust(&configuration)
        return Dictionary(try configuration.librdkafkaProperties().map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("stickyPartitioningLinger sets sticky.partitioning.linger.ms in whole milliseconds, rounded up")
    func stickyLinger() throws {
        #expect(try properties { $0.stickyPartitioningLinger = .zero }["sticky.partitioning.linger.ms"] == "0")
        #expect(try properties { $0.stickyPartitioningLinger = .microseconds(2500) }["sticky.partitioning.linger.ms"] == "3")
    }

    @Test("sticky.partitioning.linger.ms is 0 by default, so that keyless records spread evenly; nil leaves librdkafka's")
    func stickyLingerDefault() throws {
        #expect(ProducerConfiguration(bootstrapServers: ["a:9092"]).stickyPartitioningLinger == .zero)
        #expect(try properties { _ in }["sticky.partitioning.linger.ms"] == "0")
        #expect(try properties { $0.stickyPartitioningLinger = nil }["sticky.partitioning.linger.ms"] == nil)
        // A key of librdkafka's own, applied after the typed settings, still chooses sticking.
        var configuration = ProducerConfiguration(bootstrapServers: ["a:9092"])
        configuration.additionalProperties["sticky.partitioning.linger.ms"] = "10"
        let applied = try configuration.librdkafkaProperties().last { $0.key == "sticky.partitioning.linger.ms" }
        #expect(applied?.value == "10")
    }

    @Test("By default every topic gets the partitioner that takes keyless records in turns; librdkafka's own where asked for")
    func keylessTurnsByDefault() throws {
        func installsOne(_ adjust: (inout ProducerConfiguration) -> Void) throws -> Bool {
            var configuration = ProducerConfiguration(bootstrapServers: ["a:9092"])
            adjust(&configuration)
            return try configuration.topicSettings().settings(forTopic: "any").partitioner != nil
        }
        #expect(try installsOne { _ in })
        for partitioner: Partitioner in [.consistentRandom, .murmur2Random, .fnv1aRandom] {
            #expect(try installsOne { $0.partitioner = partitioner }, "\(partitioner.rawValue)")
        }
        // These hash a record without a key as well, or place every record at random.
        for partitioner: Partitioner in [.consistent, .murmur2, .fnv1a, .random] {
            #expect(try !installsOne { $0.partitioner = partitioner }, "\(partitioner.rawValue)")
        }
        #expect(try !installsOne { $0.stickyPartitioningLinger = nil })
        #expect(try !installsOne { $0.stickyPartitioningLinger = .milliseconds(10) })
        #expect(try !installsOne { $0.additionalProperties["sticky.partitioning.linger.ms"] = "0" })
        #expect(try !installsOne { $0.additionalProperties["partitioner"] = "consistent_random" })
        // At linger 0 a record per partition at random spreads each burst over every broker.
        #expect(try !installsOne { $0.linger = .zero })
        #expect(try !installsOne { $0.additionalProperties["linger.ms"] = "0" })
        #expect(try installsOne { $0.linger = .milliseconds(1) })
    }

    @Test("A named partitioner sets partitioner; a Swift one does not, and is installed on every topic instead")
    func customPartitionerIsNotAName() throws {
        #expect(try properties { $0.partitioner = .murmur2Random }["partitioner"] == "murmur2_random")
        var configuration = ProducerConfiguration(bootstrapServers: ["a:9092"])
        configuration.partitioner = .custom { _, _, _ in 0 }
        #expect(try configuration.librdkafkaProperties().contains { $0.key == "partitioner" } == false)
        #expect(try configuration.topicSettings().settings(forTopic: "any").partitioner != nil)
    }
}
