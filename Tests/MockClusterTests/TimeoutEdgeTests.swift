import Foundation
import RdKafka
import Testing

/// Timeouts at the edges, through the public API: a duration too long to express in
/// milliseconds waits as long as librdkafka can, without trapping, and a negative one is
/// immediate (one between -1 and -2 ms must not become librdkafka's -1, "wait forever").
@Suite("Timeouts at the edges", .timeLimit(.minutes(1)))
struct TimeoutEdgeTests {
    let huge = Duration.seconds(Int64.max / 2)
    let slightlyNegative = Duration.nanoseconds(-1_500_000)

    @Test("waitUntilConnected, flush and shutdown take a timeout of Int64.max / 2 seconds")
    func hugeTimeouts() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        try await producer.waitUntilConnected(timeout: huge)
        try producer.tryEnqueue(fixture.record("v"), correlationID: 1)
        try await producer.flush(timeout: huge)
        #expect(producer.outstandingRecords == 0)
        await producer.shutdown(flushTimeout: .seconds(Int64.max))
    }

    @Test("The transaction calls take a timeout of Int64.max / 2 seconds")
    func hugeTransactionTimeouts() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer { $0.transactionalID = "edge-\(UUID())" }
        try await producer.initTransactions(timeout: huge)
        try producer.beginTransaction()
        _ = try await producer.send(fixture.record("committed"))
        try await producer.commitTransaction(timeout: huge)
        try producer.beginTransaction()
        try await producer.abortTransaction(timeout: huge)
        await producer.shutdown()
    }

    @Test("flush and shutdown with a timeout of -1.5 ms do not wait: the flush times out, shutdown purges")
    func negativeFlushAndShutdown() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer()
        let reports = producer.deliveryReports
        try producer.tryEnqueue(fixture.record("stuck"), correlationID: 7)
        let flushError = await #expect(throws: KafkaError.self) {
            try await producer.flush(timeout: slightlyNegative)
        }
        #expect(flushError?.code == .timedOut)
        await producer.shutdown(flushTimeout: slightlyNegative)
        var outcomes: [DeliveryOutcome] = []
        for await outcome in reports { outcomes.append(outcome) }
        #expect(outcomes.map(\.correlationID) == [7])
        #expect(throws: KafkaError.self) { try outcomes.first?.result.get() }
    }

    @Test("waitUntilConnected with a negative timeout fails at once when no broker is up")
    func negativeConnectionWait() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer()
        await #expect(throws: KafkaError.self) {
            try await producer.waitUntilConnected(timeout: slightlyNegative)
        }
        await producer.shutdown(flushTimeout: .zero)
    }

    @Test("initTransactions with a timeout of -1.5 ms does not wait for a coordinator that is down")
    func negativeTransactionTimeout() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer { $0.transactionalID = "edge-\(UUID())" }
        let error = await #expect(throws: KafkaError.self) {
            try await producer.initTransactions(timeout: slightlyNegative)
        }
        #expect(error?.isRetriable == true, "a timeout: the call may be repeated")
        await producer.shutdown(flushTimeout: .zero)
    }
}
