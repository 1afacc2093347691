import Foundation
import RdKafka
import Synchronization
import TestSupport
import Testing

/// `outstandingRecords` counts what librdkafka holds, never a record still being handed over.
@Suite("Outstanding records", .timeLimit(.minutes(1)))
struct OutstandingRecordsTests {
    @Test("A record still being handed to librdkafka is not counted as outstanding; once accepted it is")
    func countsOnlyAcceptedRecords() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 2)
        let held = HeldPartitioner()
        let producer = try fixture.producer {
            $0.partitioner = .custom { key, _, _ in
                if key.map({ Array($0) }) == Array("hold".utf8) { held.holdHere() }
                return 0
            }
        }
        // Known metadata: from now on librdkafka calls the partitioner inside the send itself.
        _ = try await producer.send(fixture.record("warm-up", key: "warm-up"))
        let sender = Thread { try? producer.tryEnqueue(fixture.record("held", key: "hold"), correlationID: 1) }
        // Released on every way out, so that a failed wait cannot leave the send blocked.
        defer { held.release() }
        sender.start()
        try await waitUntil { held.isHolding }
        #expect(producer.outstandingRecords == 0, "the held record is inside the send, not yet accepted")
        held.release()
        var reports = producer.deliveryReports.makeAsyncIterator()
        let outcome = try #require(await reports.next())
        #expect(outcome.correlationID == 1)
        #expect(producer.outstandingRecords == 0)
        await producer.shutdown()
    }
}

/// A partitioner that blocks the sending thread until the test releases it.
final class HeldPartitioner: Sendable {
    private let entered = Atomic<Bool>(false)
    private let released = Atomic<Bool>(false)
    private let gate = DispatchSemaphore(value: 0)

    var isHolding: Bool { entered.load(ordering: .acquiring) && !released.load(ordering: .acquiring) }
    var isReleased: Bool { released.load(ordering: .acquiring) }

    /// Blocks the first call only: librdkafka may place a record more than once.
    func holdHere() {
        guard entered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        gate.wait()
    }

    /// Lets the held call go on; later calls do nothing.
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        gate.signal()
    }
}
