import Foundation
import RdKafka
import TestSupport
import Testing

/// A public purge that says how many records it failed, their senders getting the purge
/// errors with the records' persistence and contents.
@Suite("Purge", .timeLimit(.minutes(2)))
struct PurgeTests {
    /// A producer whose records stay in the local queue: its only broker is down before it
    /// first connects, so no record can reach a request until the test brings it up.
    static func heldProducer(_ fixture: ClusterFixture) throws -> KafkaProducer {
        try fixture.cluster.setBrokerDown(1)
        return try fixture.producer { $0.deliveryTimeout = .seconds(120) }
    }

    /// Waits until librdkafka holds `count` records (awaited sends run in their own tasks);
    /// `outstandingRecords` counts only records librdkafka has accepted.
    static func waitUntilOutstanding(_ producer: KafkaProducer, _ count: Int) async throws {
        try await waitUntil { producer.outstandingRecords >= count }
    }

    @Test("Purging the queue fails each awaited send with purgedFromQueue, notPersisted, its record handed back; the count is exact")
    func purgeQueuedAwaited() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try Self.heldProducer(fixture)
        let records = (0..<5).map { FailedRecordTests.record(fixture, $0) }
        let sends = records.map { record in
            Task { () -> KafkaError? in
                do {
                    _ = try await producer.send(record)
                    return nil
                } catch {
                    return error as? KafkaError
                }
            }
        }
        try await Self.waitUntilOutstanding(producer, records.count)
        #expect(try await producer.purge() == records.count)
        for (send, record) in zip(sends, records) {
            let error = try #require(await send.value)
            #expect(error.code == .purgedFromQueue)
            #expect(error.persistence == .notPersisted)
            #expect(error.isSafeToResend)
            #expect(error.record == record)
        }
        #expect(producer.outstandingRecords == 0)
        // The producer stays usable and a purged record can be sent again.
        try fixture.cluster.setBrokerUp(1)
        try await producer.enqueue(try #require(records.first), correlationID: 1)
        try await producer.flush(timeout: .seconds(30))
        await producer.shutdown()
    }

    @Test("Purging fails fire-and-forget records in deliveryReports, with their correlation IDs and records")
    func purgeQueuedFireAndForget() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try Self.heldProducer(fixture)
        for index in 0..<20 { try await producer.enqueue(FailedRecordTests.record(fixture, index), correlationID: UInt64(index)) }
        #expect(try await producer.purge(queued: true, inFlight: true) == 20)
        var reports = producer.deliveryReports.makeAsyncIterator()
        var seen: [UInt64] = []
        for _ in 0..<20 {
            let outcome = try #require(await reports.next())
            guard case .failure(let error) = outcome.result else {
                Issue.record("expected a failure, got \(outcome.result)")
                continue
            }
            #expect(error.code == .purgedFromQueue)
            #expect(error.persistence == .notPersisted)
            #expect(error.record == FailedRecordTests.record(fixture, Int(outcome.correlationID)))
            seen.append(outcome.correlationID)
        }
        #expect(seen.sorted() == Array(0..<20))
        await producer.shutdown()
    }

    @Test("Purging in flight fails a record awaiting the broker with purgedInFlight, possiblyPersisted")
    func purgeInFlight() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer()
        _ = try await producer.send(fixture.record("warm-up", partition: 1))
        try fixture.cluster.setRoundTripTime(.seconds(10), broker: 1)
        let record = FailedRecordTests.record(fixture, 7)
        let send = Task { () -> KafkaError? in
            do {
                _ = try await producer.send(record)
                return nil
            } catch {
                return error as? KafkaError
            }
        }
        // Queued first, in a request within the linger (1 ms): purge in flight only until it is.
        var purged = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while purged == 0 {
            try #require(ContinuousClock.now < deadline, "the record never reached a request within 20 s")
            purged += try await producer.purge(queued: false, inFlight: true)
        }
        #expect(purged == 1)
        let error = try #require(await send.value)
        #expect(error.code == .purgedInFlight)
        #expect(error.persistence == .possiblyPersisted)
        #expect(!error.isSafeToResend)
        #expect(error.record == record)
        await producer.shutdown(flushTimeout: .milliseconds(100))
    }

    @Test("Purging nothing returns 0; purging after shutdown throws shutdown")
    func emptyAndAfterShutdown() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer()
        #expect(try await producer.purge() == 0)
        #expect(try await producer.purge(queued: false, inFlight: false) == 0)
        await producer.shutdown()
        let error = try await #require(throws: KafkaError.self) { try await producer.purge() }
        #expect(error.code == .shutdown)
    }

    @Test("Records purged at shutdown come back with their contents, awaited and fire-and-forget")
    func purgedAtShutdown() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try Self.heldProducer(fixture)
        let awaited = FailedRecordTests.record(fixture, 1)
        let send = Task { () -> KafkaError? in
            do {
                _ = try await producer.send(awaited)
                return nil
            } catch {
                return error as? KafkaError
            }
        }
        try await producer.enqueue(FailedRecordTests.record(fixture, 2), correlationID: 2)
        try await Self.waitUntilOutstanding(producer, 2)
        // The broker is down, so shutdown's flush cannot deliver them and purges them instead.
        await producer.shutdown(flushTimeout: .milliseconds(200))
        let error = try #require(await send.value)
        #expect([KafkaError.Code.purgedFromQueue, .purgedInFlight].contains(error.code))
        #expect(error.record == awaited)
        #expect(error.persistence != nil)
        var reports = producer.deliveryReports.makeAsyncIterator()
        let outcome = try #require(await reports.next())
        guard case .failure(let failure) = outcome.result else {
            Issue.record("expected a failure, got \(outcome.result)")
            return
        }
        #expect(failure.record == FailedRecordTests.record(fixture, 2))
    }
}
