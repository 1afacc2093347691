import Foundation
import Synchronization
import TestSupport
import Testing

@testable import RdKafka

/// How many seeds to run: a few in the suite, thousands from scripts/soak
/// (`RDKAFKA_STRESS_SEEDS`, starting at `RDKAFKA_STRESS_FIRST_SEED`).
private let stressSeeds: [UInt64] = {
    let environment = ProcessInfo.processInfo.environment
    let count = environment["RDKAFKA_STRESS_SEEDS"].flatMap(UInt64.init) ?? 3
    let first = environment["RDKAFKA_STRESS_FIRST_SEED"].flatMap(UInt64.init) ?? 1
    return Array(first..<(first + count))
}()

/// Many tasks sending every way there is through a tiny queue, with injected request errors and
/// slow brokers, cancellations, and a shutdown at a random moment. The plan of each round comes
/// from its seed (thread timing does not), so a failing seed replays the same plan.
@Suite("Randomized stress on the mock cluster", .serialized, .timeLimit(.minutes(10)))
struct StressTests {
    /// What happened to the calls of one round.
    final class Ledger: Sendable {
        struct Counts {
            var started = 0
            var ended = 0
            var acceptedFireAndForget: Set<UInt64> = []
            var awaitedDelivered = 0
            var awaitedFailed = 0
        }
        // LockedValue (a pthread mutex), not Mutex: ThreadSanitizer cannot see Mutex's contended
        // path on Linux and reports the state it guards as raced.
        let counts = LockedValue(Counts())
        let nextCorrelationID = Atomic<UInt64>(0)
    }

    enum Operation: CaseIterable {
        case send, sendBatch, enqueue, tryEnqueue, flush
    }

    @Test("Every call ends once, every accepted record is accounted for, nothing is left behind", arguments: stressSeeds)
    func round(seed: UInt64) async throws {
        var plan = SeededGenerator(seed: seed)
        let fixture = try ClusterFixture(brokers: 3, partitions: 3)
        for broker: Int32 in 1...3 {
            try fixture.cluster.setRoundTripTime(.milliseconds(Int.random(in: 0...20, using: &plan)), broker: broker)
        }
        let retriable: [KafkaError.Code] = [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas]
        fixture.cluster.pushRequestErrors((0..<Int.random(in: 0...6, using: &plan)).map { _ in retriable.randomElement(using: &plan)! })
        let queueMaxRecords = Int.random(in: 1...8, using: &plan)
        let producer = try fixture.producer {
            $0.queueMaxRecords = queueMaxRecords
            $0.enqueueTimeout = .milliseconds(Int64.random(in: 20...500, using: &plan))
            $0.deliveryReportBufferSize = Int.random(in: 1...64, using: &plan)
            $0.deliveryTimeout = .seconds(10)
        }
        let ledger = Ledger()
        let taskCount = Int.random(in: 4...24, using: &plan)
        let tasks = (0..<taskCount).map { _ in
            let operations = (0..<Int.random(in: 1...12, using: &plan)).map { _ in Operation.allCases.randomElement(using: &plan)! }
            let batchSize = Int.random(in: 1...6, using: &plan)
            return Task {
                for operation in operations {
                    ledger.counts.withLock { $0.started += 1 }
                    defer { ledger.counts.withLock { $0.ended += 1 } }
                    switch operation {
                    case .send:
                        do {
                            _ = try await producer.send(fixture.record("send"))
                            ledger.counts.withLock { $0.awaitedDelivered += 1 }
                        } catch {
                            ledger.counts.withLock { $0.awaitedFailed += 1 }
                        }
                    case .sendBatch:
                        let results = await producer.send(contentsOf: (0..<batchSize).map { fixture.record("batch-\($0)") })
                        #expect(results.count == batchSize)
                    case .enqueue, .tryEnqueue:
                        let id = ledger.nextCorrelationID.add(1, ordering: .relaxed).newValue
                        do {
                            if operation == .enqueue {
                                try await producer.enqueue(fixture.record("enqueue"), correlationID: id)
                            } else {
                                try producer.tryEnqueue(fixture.record("try"), correlationID: id)
                            }
                            _ = ledger.counts.withLock { $0.acceptedFireAndForget.insert(id) }
                        } catch {}
                    case .flush:
                        try? await producer.flush(timeout: .milliseconds(50))
                    }
                }
            }
        }
        // Cancel some tasks and shut down, at moments the seed picks.
        let cancellations = tasks.filter { _ in Int.random(in: 0..<4, using: &plan) == 0 }
        let cancelAfter = Duration.microseconds(Int.random(in: 0...20_000, using: &plan))
        let shutdownAfter = Duration.microseconds(Int.random(in: 0...60_000, using: &plan))
        let flushTimeout = Duration.milliseconds(Int.random(in: 0...200, using: &plan))
        let reader = Task {
            var read: [UInt64] = []
            for await outcome in producer.deliveryReports { read.append(outcome.correlationID) }
            return read
        }
        try await Task.sleep(for: cancelAfter)
        for task in cancellations { task.cancel() }
        try await Task.sleep(for: shutdownAfter)
        await producer.shutdown(flushTimeout: flushTimeout)
        for task in tasks { await task.value }
        let read = await reader.value

        let counts = ledger.counts.withLock { $0 }
        #expect(counts.started == counts.ended, "seed \(seed): every call ended exactly once")
        #expect(producer.outstandingRecords == 0, "seed \(seed)")
        #expect(producer.core.inFlight.registeredCallers == 0, "seed \(seed): no continuation or collector left behind")
        #expect(Set(read).count == read.count, "seed \(seed): no outcome twice")
        #expect(Set(read).isSubset(of: counts.acceptedFireAndForget), "seed \(seed): outcomes only for accepted records")
        #expect(
            read.count + producer.droppedDeliveryReports == counts.acceptedFireAndForget.count,
            "seed \(seed): delivered + failed + dropped accounts for every accepted record")
    }
}
