import Logging
import TestSupport
import Testing

@testable import RdKafka

/// What shutdown does when librdkafka never reports some accepted records. librdkafka reports
/// purged records promptly, so the test leaves the purge out (a closing option only tests set)
/// and keeps the records in flight behind a minute-long round trip.
@Suite("Closing when reports never come", .timeLimit(.minutes(1)))
struct ClosingTests {
    @Test("Awaited sends and batches whose reports never come fail with purgedInFlight; fire-and-forget ones count as dropped")
    func callersNeverReported() async throws {
        let cluster = try MockCluster(brokers: 1)
        try cluster.createTopic("closing", partitions: 1)
        var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
        configuration.linger = .milliseconds(1)
        configuration.deliveryTimeout = .seconds(120)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let core = try ProducerCore(
            configuration: configuration, logger: logger,
            closing: ProducerCore.ClosingOptions(purgedReportGrace: .milliseconds(200), purges: false))
        let producer = KafkaProducer(core: core)
        _ = try await producer.send(ProducerRecord(topic: "closing", value: "warm-up"))
        try cluster.setRoundTripTime(.seconds(60), broker: 1)

        let awaited = Task { try await producer.send(ProducerRecord(topic: "closing", value: "awaited")) }
        let batch = Task { await producer.send(contentsOf: (0..<3).map { ProducerRecord(topic: "closing", value: "batch-\($0)") }) }
        try producer.tryEnqueue(ProducerRecord(topic: "closing", value: "enqueued"), correlationID: 7)
        try await waitUntil(within: .seconds(10)) { producer.outstandingRecords >= 5 }
        await producer.shutdown(flushTimeout: .milliseconds(100))

        let error = try await #require(throws: KafkaError.self) { try await awaited.value }
        #expect(error.code == .purgedInFlight, "\(error)")
        #expect(error.persistence == .possiblyPersisted, "whether it was written is unknown")
        #expect(!error.isSafeToResend)
        let results = await batch.value
        #expect(results.count == 3)
        for result in results {
            if case .failure(let error) = result {
                #expect(error.code == .purgedInFlight)
            } else {
                Issue.record("a batch record reported delivered")
            }
        }
        #expect(producer.outstandingRecords == 0)
        #expect(producer.droppedDeliveryReports == 1, "the fire-and-forget record's outcome is counted as dropped")
        var outcomes = 0
        for await _ in producer.deliveryReports { outcomes += 1 }
        #expect(outcomes == 0)
        #expect(core.inFlight.registeredCallers == 0)
        withExtendedLifetime(cluster) {}
    }
}
