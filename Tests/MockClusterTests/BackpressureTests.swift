import Foundation
import RdKafka
import Synchronization
import TestSupport
import Testing

@Suite("Full local queue", .timeLimit(.minutes(2)))
struct BackpressureTests {
    @Test("Awaited sends wait for room instead of failing, and all are delivered")
    func sendsWaitForRoom() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer { $0.queueMaxRecords = 10 }
        let results = try await withThrowingTaskGroup(of: DeliveryReport.self) { group in
            for index in 0..<500 {
                group.addTask { try await producer.send(fixture.record("\(index)")) }
            }
            return try await group.reduce(into: [DeliveryReport]()) { $0.append($1) }
        }
        #expect(results.count == 500)
        let batch = await producer.send(contentsOf: (0..<200).map { fixture.record("batch-\($0)") })
        #expect(batch.allSatisfy { (try? $0.get()) != nil })
        await producer.shutdown()
    }

    @Test("tryEnqueue throws queueFull at once when the queue is full; nothing accepted is lost")
    func tryEnqueueThrowsAtOnce() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        try fixture.cluster.setRoundTripTime(.milliseconds(200), broker: 1)
        let producer = try fixture.producer { $0.queueMaxRecords = 5 }
        var accepted = 0
        var refusal: KafkaError?
        for index in 0..<100 {
            do {
                try producer.tryEnqueue(fixture.record("\(index)"), correlationID: UInt64(index))
                accepted += 1
            } catch let error as KafkaError {
                refusal = error
                break
            }
        }
        #expect(accepted == 5)
        #expect(refusal?.code == .queueFull)
        #expect(refusal?.correlationID == 5)
        #expect(refusal?.isRetriable == true)
        try await producer.flush(timeout: .seconds(20))
        var delivered = 0
        for await outcome in producer.deliveryReports {
            if case .success = outcome.result { delivered += 1 }
            if delivered == accepted { break }
        }
        #expect(delivered == 5)
        await producer.shutdown()
    }

    @Test("A send still waiting for room when the enqueue timeout passes fails with queueFull")
    func enqueueTimeout() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.queueMaxRecords = 1
            $0.enqueueTimeout = .milliseconds(300)
            $0.deliveryTimeout = .seconds(30)
        }
        _ = try await producer.send(fixture.record("warm-up"))
        try fixture.cluster.setBrokerDown(1)
        try await producer.enqueue(fixture.record("fills the queue"))
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("waits")) }
        #expect(error.code == .queueFull)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        await producer.shutdown(flushTimeout: .milliseconds(100))
    }

    @Test("A waiter cancelled, then another: the second still fails at its own enqueue timeout")
    func cancelledWaiterThenAnother() async throws {
        let fixture = try ClusterFixture(brokers: 2, partitions: 2)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 0, broker: 1)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 1, broker: 2)
        let producer = try fixture.producer {
            $0.queueMaxRecords = 2
            $0.enqueueTimeout = .seconds(3)
            $0.deliveryTimeout = .seconds(120)
        }
        _ = try await producer.send(fixture.record("warm-up", partition: 0))
        _ = try await producer.send(fixture.record("warm-up", partition: 1))
        // Partition 0's records stay in flight without a sound; partition 1's wait for its broker,
        // which comes back only once the first waiter below has been cancelled. (A timed delay
        // here once let the report, and with it room, arrive before the cancellation on a
        // loaded machine, so that the first waiter was sent instead of cancelled.)
        try fixture.cluster.setRoundTripTime(.seconds(60), broker: 1)
        try fixture.cluster.setBrokerDown(2)
        try await producer.enqueue(fixture.record("stuck", partition: 0), correlationID: 1)
        try await producer.enqueue(fixture.record("slow", partition: 1), correlationID: 2)

        // The first waiter registers (the drain now sleeps until its deadline), then is cancelled.
        let executor = ControlledExecutor()
        let first = Task(executorPreference: executor) { try await producer.send(fixture.record("first", partition: 0)) }
        try await waitUntil { executor.finishedJobs >= 1 }
        first.cancel()
        let error = try await #require(throws: KafkaError.self) { try await first.value }
        #expect(error.code == .cancelled)
        try fixture.cluster.setBrokerUp(2)

        // The slow record's report wakes the drain with nobody waiting; the queue is then filled again.
        var reports = producer.deliveryReports.makeAsyncIterator()
        #expect(await reports.next()?.correlationID == 2)
        // The room comes a moment after the report is read, when librdkafka frees the event.
        try await waitUntil { (try? producer.tryEnqueue(fixture.record("stuck too", partition: 0), correlationID: 3)) != nil }

        let started = ContinuousClock.now
        let second = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("second", partition: 0)) }
        #expect(second.code == .queueFull)
        let waited = ContinuousClock.now - started
        #expect(waited >= .seconds(3))
        #expect(waited < .seconds(8), "the enqueue timeout was enforced late: \(waited)")
        await producer.shutdown(flushTimeout: .milliseconds(10))
    }

    @Test("A woken waiter cancelled before it runs again does not strand the next waiter")
    func wokenWaiterCancelledBeforeRetry() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.queueMaxRecords = 1
            $0.enqueueTimeout = .seconds(30)
        }
        _ = try await producer.send(fixture.record("warm-up"))
        // Long enough for both waiters to register before the queued record's report comes.
        try fixture.cluster.setRoundTripTime(.seconds(1), broker: 1)
        try await producer.enqueue(fixture.record("fills the queue"), correlationID: 1)

        // Two waiters, in this order, on an executor that can hold them once woken.
        let executor = ControlledExecutor()
        let first = Task(executorPreference: executor) { try await producer.send(fixture.record("first")) }
        try await waitUntil { executor.finishedJobs >= 1 }
        let second = Task(executorPreference: executor) { try await producer.send(fixture.record("second")) }
        try await waitUntil { executor.finishedJobs >= 2 }
        executor.hold()
        // The queued record's report frees one record's room: the first waiter is woken, and held.
        try await waitUntil { executor.heldJobs >= 1 }
        first.cancel()
        let released = ContinuousClock.now
        executor.release()

        // Whatever the first one does with its turn, the second must get room well before its timeout.
        // Stranded, it would fail with queueFull after its 30 s enqueue timeout.
        let report = try await second.value
        #expect(report.offset != nil)
        #expect(ContinuousClock.now - released < .seconds(15), "the second waiter slept although room was free")
        if case .failure(let error as KafkaError) = await first.result { #expect(error.code == .cancelled) }
        await producer.shutdown()
    }

    @Test("A queue limited by bytes: one large report frees room for many small waiters, and all of them get in")
    func byteLimitedQueueWakesEveryWaiterThatFits() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.queueMaxKilobytes = 1
            $0.linger = .zero
            $0.enqueueTimeout = .seconds(20)
        }
        _ = try await producer.send(fixture.record("warm-up"))
        // Every report now comes ten seconds after its record is sent: waking one waiter per
        // report would let the second small record in at 20 s and the third at 30 s, past the
        // enqueue timeout, however loaded the machine.
        try fixture.cluster.setRoundTripTime(.seconds(10), broker: 1)
        let large = ProducerRecord(topic: fixture.topic, value: [UInt8](repeating: 7, count: 1020))
        try await producer.enqueue(large)
        // Five small records that each fit beside the others but not beside the large one. Its
        // one report wakes one waiter by count; the rest must not wait a round trip each, since
        // the room for them is free at once.
        let outcomes = await withTaskGroup(of: Result<DeliveryReport, any Error>.self) { group in
            for index in 0..<5 {
                group.addTask {
                    do { return .success(try await producer.send(fixture.record("small-\(index)"))) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for outcome in outcomes {
            #expect((try? outcome.get()) != nil, "a small record did not get in: \(outcome)")
        }
        await producer.shutdown()
    }

    @Test("outstandingRecords never reads below zero, even when a report races its enqueue")
    func outstandingNeverNegative() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.linger = .zero
            $0.deliveryReportBufferSize = 16
        }
        let done = Atomic<Bool>(false)
        let lowest = Atomic<Int>(0)
        let sampler = Thread {
            while !done.load(ordering: .relaxed) {
                let seen = producer.outstandingRecords
                if seen < 0 { lowest.min(seen, ordering: .relaxed) }
                // Tens of thousands of samples a second without taking a whole core from the
                // rest of the suite.
                usleep(20)
            }
        }
        sampler.start()
        for index in 0..<50_000 { try await producer.enqueue(fixture.record("\(index)")) }
        try await producer.flush(timeout: .seconds(30))
        done.store(true, ordering: .relaxed)
        #expect(lowest.load(ordering: .relaxed) == 0)
        #expect(producer.outstandingRecords == 0)
        await producer.shutdown()
    }
}
