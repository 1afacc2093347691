import Foundation
import Logging
import RdKafka
import TestSupport

/// A fresh mock cluster with one topic, and a configuration pointing at it.
struct ClusterFixture {
    let cluster: MockCluster
    let topic: String
    let partitions: Int32

    init(brokers: Int = 3, topic: String = "test-topic", partitions: Int32 = 3, replicationFactor: Int32 = 1) throws {
        cluster = try MockCluster(brokers: brokers)
        self.topic = topic
        self.partitions = partitions
        try cluster.createTopic(topic, partitions: partitions, replicationFactor: replicationFactor)
    }

    func configuration() -> ProducerConfiguration {
        var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
        configuration.linger = .milliseconds(1)
        configuration.deliveryTimeout = .seconds(20)
        return configuration
    }

    func producer(_ adjust: (inout ProducerConfiguration) -> Void = { _ in }, logger: Logger = quietLogger) throws -> KafkaProducer {
        var configuration = configuration()
        adjust(&configuration)
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    func record(_ value: String, key: String? = nil, partition: Int32? = nil) -> ProducerRecord {
        ProducerRecord(topic: topic, key: key, value: value, partition: partition)
    }

    func readBack(expecting count: Int) async throws -> [ConsumedRecord] {
        let records = try await TestConsumer.consume(
            topic: topic, partitions: partitions, bootstrapServers: cluster.bootstrapServers, expecting: count
        )
        // The cluster must outlive the reader: Swift may release it after its last use above.
        withExtendedLifetime(cluster) {}
        return records
    }
}

/// Tests that do not look at logs keep librdkafka's expected complaints (brokers taken down on
/// purpose) out of the test output.
let quietLogger: Logger = {
    var logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()
