import Logging
import RdKafka
import ServiceLifecycle
import Testing

// The README's "Observability and lifecycle" code, verbatim, so that it keeps compiling.

func observedProducer(brokers: [String]) throws -> KafkaProducer {
    var configuration = ProducerConfiguration(bootstrapServers: brokers)
    configuration.statisticsInterval = .seconds(5)  // producer.statistics
    configuration.metrics = .init(labelPrefix: "kafka.producer")  // MetricsSystem.factory
    configuration.gracefulShutdownTimeout = .seconds(10)  // run() as a Service
    return try KafkaProducer(configuration: configuration)
}

func runAsService(_ producer: KafkaProducer, logger: Logger) async throws {
    Task {
        for await statistics in producer.statistics {
            logger.info("kafka: queued \(statistics.queuedRecords), sent \(statistics.recordsSent), retries \(statistics.retries)")
        }
    }
    let group = ServiceGroup(services: [producer], gracefulShutdownSignals: [.sigterm], logger: logger)
    try await group.run()  // until SIGTERM; then flushes for up to 10 s
}

@Suite("README: observability", .timeLimit(.minutes(1)))
struct ReadmeObservabilityTests {
    @Test("The README's observed producer sends")
    func observedProducerWorks() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try observedProducer(brokers: [fixture.cluster.bootstrapServers])
        let report = try await producer.send(fixture.record("observed"))
        #expect(report.offset == 0)
        await producer.shutdown()
    }
}
