import Foundation
import RdKafka
import Synchronization
import TestSupport
import Testing

/// What a full local queue means for each record: its own enqueue timeout, and room given back
/// before the sender resumes.
@Suite("Queue room per record", .timeLimit(.minutes(2)))
struct QueueRoomTests {
    @Test("Each record of a batch larger than the queue waits on its own enqueue timeout, so the whole batch is delivered")
    func batchRecordsWaitEachOnItsOwnTimeout() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        // Every record waits about one round trip for room, 25 times less than its enqueue
        // timeout; the batch as a whole takes longer than that timeout.
        try fixture.cluster.setRoundTripTime(.milliseconds(200), broker: 1)
        let producer = try fixture.producer {
            $0.queueMaxRecords = 1
            $0.enqueueTimeout = .seconds(5)
            $0.linger = .zero
            $0.deliveryTimeout = .seconds(60)
        }
        let records = (0..<40).map { fixture.record("batch-\($0)", partition: 0) }
        let started = ContinuousClock.now
        let outcomes = await producer.send(contentsOf: records)
        let elapsed = ContinuousClock.now - started
        let failures = outcomes.compactMap { outcome -> KafkaError? in
            if case .failure(let error) = outcome { return error }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.count) failed, the first: \(failures.first.map { "\($0)" } ?? "")")
        // The condition the records met: the batch outlasted one enqueue timeout.
        #expect(elapsed > .seconds(5))
        await producer.shutdown()
    }

    @Test("A record's room is free when its awaited send returns: tryEnqueue right after it finds room")
    func roomIsFreeWhenTheSendReturns() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.queueMaxRecords = 1
            $0.linger = .zero
        }
        for index in 0..<1_000 {
            // The queue holds one record: the awaited one, until its report frees its room.
            _ = try await producer.send(fixture.record("awaited-\(index)", partition: 0))
            do {
                try producer.tryEnqueue(fixture.record("next-\(index)", partition: 0), correlationID: UInt64(index))
            } catch {
                Issue.record("round \(index): \(error)")
                break
            }
            // The enqueued record is reported before the next awaited one, which waits for its room.
        }
        try await producer.flush(timeout: .seconds(20))
        await producer.shutdown()
    }
}
