import Logging
import RdKafka
import TestSupport
import Testing

/// Transactions on the mock cluster. Its brokers report no aborted transactions in Fetch
/// answers (librdkafka 2.0.2 to 2.16; 2.15 filters them only for share groups), so a `read_committed` reader
/// there sees every written record, aborted or not: these tests check commits by reading back,
/// and aborts by what they guarantee on the producer side (unsent records purged, never
/// written; the transaction ended, so the next one begins).
@Suite("Transactions on the mock cluster", .timeLimit(.minutes(2)))
struct TransactionTests {
    struct BodyFailed: Error {}

    func transactionalProducer(_ fixture: ClusterFixture, id: String, logger: Logger = quietLogger) async throws -> KafkaProducer {
        let producer = try fixture.producer({ $0.transactionalID = id }, logger: logger)
        try await producer.initTransactions(timeout: .seconds(30))
        return producer
    }

    func readCommitted(_ fixture: ClusterFixture, expecting count: Int) async throws -> [String] {
        let records = try await TestConsumer.consume(
            topic: fixture.topic, partitions: fixture.partitions, bootstrapServers: fixture.cluster.bootstrapServers,
            expecting: count, readToEnd: true, isolation: "read_committed")
        withExtendedLifetime(fixture.cluster) {}
        return records.map { String(decoding: $0.value ?? [], as: UTF8.self) }.sorted()
    }

    @Test("Records of a committed transaction are read by a read_committed reader, each once")
    func commitIsVisible() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        let producer = try await transactionalProducer(fixture, id: "commit-visible")
        let sent = (0..<20).map { "committed-\($0)" }
        try await producer.withTransaction { producer in
            for value in sent { _ = try await producer.send(fixture.record(value, key: value)) }
        }
        #expect(try await readCommitted(fixture, expecting: sent.count) == sent.sorted())
        await producer.shutdown()
    }

    @Test("withTransaction aborts when its body throws: the body's error comes out, unsent records are purged and never written")
    func thrownErrorAborts() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        // The partition's leader is down while the body runs, so the enqueued records stay
        // local until the abort purges them; the coordinator is another broker and stays up.
        try fixture.cluster.setTransactionCoordinator(for: "abort-on-throw", broker: 1)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 0, broker: 2)
        let producer = try fixture.producer({ $0.transactionalID = "abort-on-throw" }, logger: quietLogger)
        try await producer.initTransactions(timeout: .seconds(30))
        try fixture.cluster.setBrokerDown(2)
        await #expect(throws: BodyFailed.self) {
            try await producer.withTransaction { producer in
                for index in 0..<5 { try await producer.enqueue(fixture.record("aborted-\(index)"), correlationID: UInt64(index)) }
                throw BodyFailed()
            }
        }
        var purged = 0
        for await outcome in producer.deliveryReports {
            if case .failure(let error) = outcome.result, error.code == .purgedFromQueue { purged += 1 }
            if outcome.correlationID == 4 { break }
        }
        #expect(purged == 5, "every unsent record of the aborted transaction is reported purged")
        // The abort ended the transaction: another begins and commits.
        try fixture.cluster.setBrokerUp(2)
        try await producer.withTransaction { producer in
            try await producer.enqueue(fixture.record("committed"), correlationID: 5)
        }
        #expect(try await readCommitted(fixture, expecting: 1) == ["committed"])
        await producer.shutdown()
    }

    @Test("A commit that fails with a retriable error (a timeout) is attempted again and succeeds")
    func retriableCommitIsRetried() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let box = CapturingLogHandlerBox()
        let producer = try await transactionalProducer(
            fixture, id: "retriable-commit", logger: Logger(label: "test") { _ in box.handler() })
        let cluster = fixture.cluster
        try await producer.withTransaction(timeout: .milliseconds(100), commitAttempts: 100) { producer in
            for index in 0..<5 { _ = try await producer.send(fixture.record("slow-\(index)")) }
            // Every answer, EndTxn's included, now takes longer than one commit attempt may wait.
            for broker in 1...Int32(cluster.brokerCount) { try cluster.setRoundTripTime(.milliseconds(400), broker: broker) }
        }
        let retries = box.entries.withLock { $0.filter { $0.message.contains("committing again") }.count }
        #expect(retries >= 1, "the first 100 ms attempt cannot have seen the 400 ms EndTxn answer")
        for broker in 1...Int32(cluster.brokerCount) { try cluster.setRoundTripTime(.zero, broker: broker) }
        #expect(try await readCommitted(fixture, expecting: 5) == (0..<5).map { "slow-\($0)" })
        await producer.shutdown()
    }

    @Test("A commit that requires an abort is aborted, and its error says so; the next transaction commits")
    func requiresAbortAborts() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try await transactionalProducer(fixture, id: "requires-abort")
        // UNKNOWN_PRODUCER_ID (59) on EndTxn: librdkafka classes the transaction as lost, not the producer.
        fixture.cluster.pushRequestErrors([KafkaError.Code(rawValue: 59)], for: .endTransaction)
        let error = try await #require(throws: KafkaError.self) {
            try await producer.withTransaction { producer in
                _ = try await producer.send(fixture.record("lost"))
            }
        }
        #expect(error.transactionRequiresAbort, "\(error)")
        #expect(error.code.rawValue == 59)
        #expect(!error.isFatal)
        #expect(producer.fatalError == nil)
        try await producer.withTransaction { producer in
            _ = try await producer.send(fixture.record("kept"))
        }
        let values = try await readCommitted(fixture, expecting: 2)
        #expect(values.contains("kept"))
        await producer.shutdown()
    }

    @Test("A record sent outside a transaction fails at once, naming transactional.id")
    func sendOutsideTransactionFails() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try await transactionalProducer(fixture, id: "outside")
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("stray")) }
        #expect(error.code == .state, "\(error)")
        #expect(error.configurationKey == "transactional.id")
        #expect(error.message.contains("beginTransaction"))
        #expect(producer.outstandingRecords == 0)
        await producer.shutdown()
    }

    @Test("Transaction calls on a producer without a transactional id fail, naming transactional.id")
    func notTransactional() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let error = try await #require(throws: KafkaError.self) { try await producer.initTransactions(timeout: .seconds(5)) }
        #expect(error.code == .notConfigured, "\(error)")
        #expect(error.configurationKey == "transactional.id")
        await producer.shutdown()
    }

    @Test("Transaction calls after shutdown fail with the shutdown error")
    func afterShutdown() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try await transactionalProducer(fixture, id: "after-shutdown")
        await producer.shutdown()
        #expect(throws: KafkaError.self) { try producer.beginTransaction() }
        let error = try await #require(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(error.code == .shutdown)
    }
}
