import CoreMetrics
import Dispatch
import Glibc
import MetricsTestKit
import RdKafka
import Synchronization
import TestSupport
import Testing

/// The count ``KafkaProducer/purge(queued:inFlight:)`` returns must not depend on how fast the
/// delivery thread hands the purged reports out: here that thread is held inside the metrics
/// update of the purged reports (which runs before their senders are told) until the test
/// has seen it there.
@Suite("Purge count", .timeLimit(.minutes(1)))
struct PurgeCountTests {
    @Test("purge returns the full count even when the delivery thread is still busy with the purged reports")
    func countWaitsForTheDeliveryThread() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let metrics = FailedCounterGate()
        // Down before the producer connects: the records stay queued until the purge.
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer {
            $0.deliveryTimeout = .seconds(120)
            $0.metrics = .init(factory: metrics)
        }
        for index in 0..<5 { try await producer.enqueue(FailedRecordTests.record(fixture, index), correlationID: UInt64(index)) }
        let purge = Task { try await producer.purge() }
        try await waitUntil { metrics.entered.load(ordering: .acquiring) }
        metrics.release.signal()
        #expect(try await purge.value == 5)
        await producer.shutdown()
    }

    @Test("purge returns while reports keep coming, with every report it purged counted")
    func purgeDuringAFlood() async throws {
        let fixture = try ClusterFixture(brokers: 2, partitions: 3)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 0, broker: 1)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 1, broker: 1)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 2, broker: 2)
        // Each outcome holds the delivery thread for 200 µs, so reports arrive faster than it
        // hands them out and librdkafka's event queue is never found empty while records flow.
        // Statistics every 10 ms put events that librdkafka queues ahead of the reports.
        let acknowledgements = SlowAcknowledgements()
        let producer = try fixture.producer {
            $0.queueMaxRecords = 1_000
            $0.interceptors = [acknowledgements]
            $0.statisticsInterval = .milliseconds(10)
            // Longer than the whole test may take, so that no stuck record times out before the purge.
            $0.deliveryTimeout = .seconds(120)
        }
        _ = try await producer.send(fixture.record("warm-up", partition: 2))
        // These stay queued for a broker that is down, so the purge has records of its own.
        try fixture.cluster.setBrokerDown(2)
        for index in 0..<100 { try await producer.enqueue(fixture.record("stuck", partition: 2), correlationID: UInt64(1_000_000 + index)) }
        let stop = Atomic<Bool>(false)
        let flood = Task { () -> (any Error)? in
            let started = ContinuousClock.now
            var index: UInt64 = 0
            // Bounded, so that a purge that waits for the flood to end still ends the test.
            while !stop.load(ordering: .relaxed) && ContinuousClock.now - started < .seconds(25) {
                do { try await producer.enqueue(fixture.record("flood", partition: Int32(index % 2)), correlationID: index) } catch {
                    return error
                }
                index += 1
            }
            return nil
        }
        try await waitUntil { producer.outstandingRecords >= 900 }
        let started = ContinuousClock.now
        // In flight too: a stuck record written to broker 2's connection just before it went
        // down counts as in flight.
        let purged = try await producer.purge(queued: true, inFlight: true)
        let acknowledgementsAtReturn = acknowledgements.purged.load(ordering: .relaxed)
        let waited = ContinuousClock.now - started
        stop.store(true, ordering: .relaxed)
        let floodError = await flood.value
        #expect(floodError == nil, "an enqueue failed: \(String(describing: floodError))")
        // A purge that waited for the flood to end would return only at its 25 s bound.
        #expect(waited < .seconds(10), "purge waited \(waited)")
        // Every report the purge caused had been handed out when it returned, and none comes
        // later. A purge with reports of its own is all this needs, not every stuck record:
        // records written to the broker's connection just before it went down may be neither
        // queued nor purgeable in flight.
        #expect(purged > 0)
        #expect(acknowledgementsAtReturn == purged)
        // Whatever the purge did not take is delivered rather than left waiting for a dead broker.
        try fixture.cluster.setBrokerUp(2)
        try await producer.flush(timeout: .seconds(20))
        #expect(acknowledgements.purged.load(ordering: .relaxed) == purged)
        await producer.shutdown(flushTimeout: .seconds(5))
    }
}

/// Holds the delivery thread for 200 µs per outcome, and counts the outcomes failed by a purge.
final class SlowAcknowledgements: ProducerInterceptor {
    let purged = Atomic<Int>(0)

    func onAcknowledgement(_ outcome: DeliveryOutcome) {
        if case .failure(let error) = outcome.result, error.code == .purgedFromQueue || error.code == .purgedInFlight {
            purged.wrappingAdd(1, ordering: .relaxed)
        }
        usleep(200)
    }
}

/// A metrics factory whose `records.failed` counter holds the thread that increments it the
/// first time until `release` is signalled; every other metric goes to `TestMetrics`.
final class FailedCounterGate: MetricsFactory, Sendable {
    let metrics = TestMetrics()
    let entered = Atomic<Bool>(false)
    let release = DispatchSemaphore(value: 0)

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let counter = metrics.makeCounter(label: label, dimensions: dimensions)
        return label.hasSuffix("records.failed") ? GatedCounter(counter: counter, gate: self) : counter
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        metrics.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        metrics.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        metrics.makeTimer(label: label, dimensions: dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    final class GatedCounter: CounterHandler, Sendable {
        let counter: any CounterHandler
        let gate: FailedCounterGate

        init(counter: any CounterHandler, gate: FailedCounterGate) {
            self.counter = counter
            self.gate = gate
        }

        func increment(by amount: Int64) {
            if !gate.entered.exchange(true, ordering: .acquiringAndReleasing) { gate.release.wait() }
            counter.increment(by: amount)
        }

        func reset() { counter.reset() }
    }
}
