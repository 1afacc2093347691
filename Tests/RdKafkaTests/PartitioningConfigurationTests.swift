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
        #expect(try properties { _ in }["sticky.partitioning.linger.ms"] == nil)
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
