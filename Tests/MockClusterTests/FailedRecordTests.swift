import Foundation
import RdKafka
import TestSupport
import Testing

/// A failed record says whether it may have been written, and comes back with its contents. Each persistence status is made to arise as librdkafka 2.0.2 assigns
/// it (rdkafka_request.c, rd_kafka_handle_Produce_error).
@Suite("Failed records: persistence and contents", .timeLimit(.minutes(2)))
struct FailedRecordTests {
    static let timestamp = Date(timeIntervalSince1970: 1_700_000_000)

    static func record(_ fixture: ClusterFixture, _ index: Int, partition: Int32? = 1) -> ProducerRecord {
        ProducerRecord(
            topic: fixture.topic,
            key: Array("key-\(index)".utf8),
            value: Array("value-\(index)".utf8),
            headers: [
                ProducerRecord.Header(name: "trace", value: "t-\(index)"), ProducerRecord.Header(name: "empty", value: nil),
            ],
            partition: partition,
            timestamp: timestamp
        )
    }

    @Test("A record timed out before it was sent is notPersisted; one timed out awaiting the broker is possiblyPersisted")
    func timedOutInQueueAndInFlight() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer {
            $0.deliveryTimeout = .seconds(1)
            $0.requestTimeout = .seconds(30)
        }
        _ = try await producer.send(fixture.record("warm-up", partition: 1))

        // In flight: the broker holds its answer past the delivery timeout.
        try fixture.cluster.setRoundTripTime(.seconds(5), broker: 1)
        let inFlight = try await #require(throws: KafkaError.self) {
            _ = try await producer.send(Self.record(fixture, 1))
        }
        #expect(inFlight.code == .messageTimedOut)
        #expect(inFlight.persistence == .possiblyPersisted)
        #expect(!inFlight.isSafeToResend)
        #expect(inFlight.record == Self.record(fixture, 1))

        // In the queue: the only broker is down, so the request is never sent.
        try fixture.cluster.setRoundTripTime(.zero, broker: 1)
        try fixture.cluster.setBrokerDown(1)
        let queued = try await #require(throws: KafkaError.self) {
            _ = try await producer.send(Self.record(fixture, 2))
        }
        #expect(queued.code == .messageTimedOut)
        #expect(queued.persistence == .notPersisted)
        #expect(queued.isSafeToResend)
        #expect(queued.record == Self.record(fixture, 2))
        await producer.shutdown(flushTimeout: .milliseconds(100))
    }

    @Test(
        "A broker error after the write is possiblyPersisted; one before it is notPersisted",
        arguments: [
            (KafkaError.Code.notEnoughReplicasAfterAppend, KafkaError.Persistence.possiblyPersisted),
            (KafkaError.Code.notEnoughReplicas, KafkaError.Persistence.notPersisted),
        ])
    func brokerErrors(code: KafkaError.Code, persistence: KafkaError.Persistence) async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer { $0.retries = 0 }
        _ = try await producer.send(fixture.record("warm-up", partition: 1))
        fixture.cluster.pushRequestErrors([code])
        let error = try await #require(throws: KafkaError.self) {
            _ = try await producer.send(Self.record(fixture, 3))
        }
        #expect(error.code == code)
        #expect(error.persistence == persistence)
        #expect(error.isSafeToResend == (persistence == .notPersisted))
        #expect(error.record == Self.record(fixture, 3))
        await producer.shutdown()
    }

    @Test("A fire-and-forget record's failed outcome carries its contents; the partitioner's choice comes back")
    func fireAndForgetOutcome() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer { $0.retries = 0 }
        _ = try await producer.send(fixture.record("warm-up", partition: 1))
        fixture.cluster.pushRequestErrors([.notEnoughReplicas])
        try await producer.enqueue(Self.record(fixture, 4, partition: nil), correlationID: 44)
        var reports = producer.deliveryReports.makeAsyncIterator()
        let outcome = try #require(await reports.next())
        #expect(outcome.correlationID == 44)
        guard case .failure(let error) = outcome.result else {
            Issue.record("expected a failure, got \(outcome.result)")
            return
        }
        #expect(error.persistence == .notPersisted)
        let returned = try #require(error.record)
        let partition = try #require(returned.partition)
        #expect((0..<fixture.partitions).contains(partition))
        #expect(returned == Self.record(fixture, 4, partition: partition))
        await producer.shutdown()
    }

    @Test("A record refused at enqueue is notPersisted; the caller still holds it, so none is handed back")
    func refusedAtEnqueue() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer { $0.messageMaxBytes = 10_000 }
        let big = ProducerRecord(topic: fixture.topic, value: [UInt8](repeating: 1, count: 20_000))
        let error = try await #require(throws: KafkaError.self) { try await producer.send(big) }
        #expect(error.code == .messageSizeTooLarge)
        #expect(error.isSafeToResend)
        #expect(error.record == nil)
        await producer.shutdown()
    }

    @Test("A record that failed for a partition the topic lacks is notPersisted and comes back")
    func unknownPartitionReported() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        // The send must reach librdkafka before the topic's metadata does, or librdkafka refuses
        // it at enqueue (and the caller still holds the record): the broker stays down until
        // librdkafka has accepted the record, which is what outstandingRecords counts.
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer()
        let record = Self.record(fixture, 6, partition: 7)
        let send = Task { try await producer.send(record) }
        try await waitUntil { producer.outstandingRecords >= 1 }
        try fixture.cluster.setBrokerUp(1)
        let error = try await #require(throws: KafkaError.self) { _ = try await send.value }
        #expect(error.code == .unknownPartition)
        #expect(error.isSafeToResend)
        #expect(error.record == record)
        await producer.shutdown()
    }

    /// An interceptor that refuses every record.
    struct RefuseAll: ProducerInterceptor {
        struct Refused: Error {}
        func onSend(_ record: ProducerRecord) throws -> ProducerRecord { throw Refused() }
    }

    @Test("Sends refused before librdkafka took them are notPersisted: after shutdown, when cancelled, by an interceptor")
    func refusedBeforeEnqueue() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)

        let cancelledProducer = try fixture.producer()
        let cancelled = Task { () -> KafkaError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                _ = try await cancelledProducer.send(Self.record(fixture, 7))
                return nil
            } catch {
                return error as? KafkaError
            }
        }
        let cancelledError = try #require(await cancelled.value, "a send from a cancelled task was delivered")
        #expect(cancelledError.code == .cancelled)
        #expect(cancelledError.isSafeToResend, "\(cancelledError)")
        let cancelledEnqueue = Task { () -> KafkaError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                try await cancelledProducer.enqueue(Self.record(fixture, 11), correlationID: 42)
                return nil
            } catch {
                return error as? KafkaError
            }
        }
        let enqueueError = try #require(await cancelledEnqueue.value, "an enqueue from a cancelled task was accepted")
        #expect(enqueueError.code == .cancelled && enqueueError.correlationID == 42, "\(enqueueError)")
        #expect(enqueueError.isSafeToResend, "\(enqueueError)")
        await cancelledProducer.shutdown()

        let refusingProducer = try fixture.producer { $0.interceptors = [RefuseAll()] }
        let refused = try await #require(throws: KafkaError.self) { _ = try await refusingProducer.send(Self.record(fixture, 8)) }
        #expect(refused.code == .interceptor)
        #expect(refused.isSafeToResend, "\(refused)")
        await refusingProducer.shutdown()

        let closed = try fixture.producer()
        await closed.shutdown()
        let afterShutdown = try await #require(throws: KafkaError.self) { _ = try await closed.send(Self.record(fixture, 9)) }
        #expect(afterShutdown.code == .shutdown)
        #expect(afterShutdown.isSafeToResend, "\(afterShutdown)")
        let enqueued = try #require(throws: KafkaError.self) { try closed.tryEnqueue(Self.record(fixture, 10)) }
        #expect(enqueued.isSafeToResend, "\(enqueued)")
    }
}
