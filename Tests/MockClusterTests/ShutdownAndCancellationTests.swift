import RdKafka
import TestSupport
import Testing

@Suite("Shutdown and cancellation", .timeLimit(.minutes(2)))
struct ShutdownAndCancellationTests {
    @Test("Shutdown with 10,000 records in flight resumes every caller")
    func shutdownResumesEveryCaller() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        for broker: Int32 in 1...3 { try fixture.cluster.setRoundTripTime(.milliseconds(300), broker: broker) }
        let producer = try fixture.producer()
        // Half awaited, from ten tasks; half enqueued here, so certainly in flight at shutdown.
        let senders = (0..<10).map { batch in
            Task { await producer.send(contentsOf: (0..<500).map { fixture.record("\(batch)-\($0)") }) }
        }
        for index in 0..<5000 { try producer.tryEnqueue(fixture.record("enqueued-\(index)"), correlationID: UInt64(index)) }
        await producer.shutdown(flushTimeout: .milliseconds(50))

        let allowed: Set<KafkaError.Code> = [.purgedFromQueue, .purgedInFlight, .shutdown]
        var resolved = 0
        for sender in senders {
            for result in await sender.value {
                if case .failure(let error) = result { #expect(allowed.contains(error.code), "\(error)") }
                resolved += 1
            }
        }
        var purged = 0
        for await outcome in producer.deliveryReports {
            if case .failure(let error) = outcome.result {
                #expect(allowed.contains(error.code), "\(error)")
                purged += 1
            }
            resolved += 1
        }
        #expect(resolved == 10_000)
        #expect(purged > 0, "a 50 ms flush cannot deliver 5,000 records over a 300 ms round trip")
        #expect(producer.outstandingRecords == 0)
    }

    @Test("A graceful shutdown delivers everything accepted before it")
    func shutdownFlushes() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        // Down before the producer connects: every record is still outstanding when shutdown starts.
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer()
        for index in 0..<3000 { try producer.tryEnqueue(fixture.record("\(index)"), correlationID: UInt64(index)) }
        let shutdown = Task { await producer.shutdown() }
        // Records accepted until shutdown refuses one (a full queue waits for room, which
        // shutdown ends with the same error); each must be delivered too.
        var accepted = 3000
        while true {
            do {
                try await producer.enqueue(fixture.record("\(accepted)"), correlationID: UInt64(accepted))
                accepted += 1
                await Task.yield()
            } catch let error as KafkaError where error.code == .shutdown {
                break
            }
        }
        try fixture.cluster.setBrokerUp(1)
        await shutdown.value
        var delivered = 0
        for await outcome in producer.deliveryReports {
            if case .success = outcome.result { delivered += 1 }
        }
        #expect(delivered == accepted)
        #expect(try await fixture.readBack(expecting: accepted).count == accepted)
    }

    @Test("Concurrent shutdown calls all return")
    func concurrentShutdowns() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        _ = try await producer.send(fixture.record("x"))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 { group.addTask { await producer.shutdown() } }
        }
        #expect(throws: KafkaError.self) { try producer.tryEnqueue(fixture.record("late")) }
    }

    @Test("A task cancelled before sending gets cancelled and its record is not written")
    func cancelledBeforeEnqueue() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await producer.send(fixture.record("never"))
        }
        let error = try await #require(throws: KafkaError.self) { try await task.value }
        #expect(error.code == .cancelled)
        let report = try await producer.send(fixture.record("after"))
        #expect(report.offset == 0, "the cancelled record took no offset")
        await producer.shutdown()
    }

    @Test("A cancelled batch sends nothing it had not enqueued, and says so in every slot")
    func cancelledBatch() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await producer.send(contentsOf: (0..<10).map { fixture.record("\($0)") })
        }
        let results = await task.value
        #expect(results.count == 10)
        for result in results {
            #expect(throws: KafkaError.self) { try result.get() }
            if case .failure(let error) = result { #expect(error.code == .cancelled) }
        }
        #expect(try await producer.send(fixture.record("after")).offset == 0, "nothing of the batch was written")
        await producer.shutdown()
    }

    @Test("Cancelling a task whose record is already enqueued still returns the real outcome")
    func cancelledAfterEnqueue() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer()
        _ = try await producer.send(fixture.record("warm-up"))
        // With the only broker down the record stays queued, however long the test takes to see it.
        try fixture.cluster.setBrokerDown(1)
        let task = Task { try await producer.send(fixture.record("queued")) }
        try await waitUntil { producer.outstandingRecords > 0 }
        task.cancel()
        try fixture.cluster.setBrokerUp(1)
        let report = try await task.value
        #expect(report.offset == 1, "the cancelled task got the real acknowledgement")
        await producer.shutdown()
    }

    @Test("Cancelling a task that waits for queue room ends the wait with cancelled; the record is not sent")
    func cancelWhileWaitingForRoom() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.queueMaxRecords = 1
            $0.enqueueTimeout = .seconds(60)
        }
        _ = try await producer.send(fixture.record("warm-up"))
        try fixture.cluster.setBrokerDown(1)
        try await producer.enqueue(fixture.record("fills the queue"), correlationID: 1)
        let waiters = (0..<50).map { index in Task { try await producer.send(fixture.record("waiting-\(index)")) } }
        for waiter in waiters { waiter.cancel() }
        for waiter in waiters {
            let error = try await #require(throws: KafkaError.self) { try await waiter.value }
            #expect(error.code == .cancelled)
        }
        try fixture.cluster.setBrokerUp(1)
        await producer.shutdown()
        let outcomes = await Array(producer.deliveryReports)
        #expect(outcomes.count == 1)
        #expect(try await fixture.readBack(expecting: 2).count == 2, "only warm-up and the queued record are written")
    }

    @Test("Shutdown racing waiters for room, round after round: every waiter ends with its outcome or a typed shutdown error")
    func shutdownRacingRoomWaiters() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        try fixture.cluster.setRoundTripTime(.milliseconds(5), broker: 1)
        for round in 0..<25 {
            let producer = try fixture.producer {
                $0.queueMaxRecords = 1
                $0.enqueueTimeout = .seconds(30)
            }
            // Each waiter's first registration may be the one that wakes the drain while the
            // handle is being destroyed.
            let waiters = (0..<16).map { index in Task { try await producer.send(fixture.record("round-\(round)-\(index)")) } }
            await producer.shutdown(flushTimeout: .milliseconds(round % 4))
            for waiter in waiters {
                if case .failure(let error as KafkaError) = await waiter.result {
                    #expect([.shutdown, .purgedFromQueue, .purgedInFlight].contains(error.code), "\(error)")
                }
            }
            #expect(producer.outstandingRecords == 0)
        }
    }

    @Test("A producer released without shutdown flushes in the background and does not hang")
    func releasedWithoutShutdown() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        // Down until the producer is released, so that all 100 records are still outstanding then.
        try fixture.cluster.setBrokerDown(1)
        do {
            let producer = try fixture.producer()
            for index in 0..<100 { try producer.tryEnqueue(fixture.record("\(index)")) }
        }
        try fixture.cluster.setBrokerUp(1)
        #expect(try await fixture.readBack(expecting: 100).count == 100)
    }
}

extension Array where Element == DeliveryOutcome {
    init(_ reports: DeliveryReports) async {
        var all: [DeliveryOutcome] = []
        for await outcome in reports { all.append(outcome) }
        self = all
    }
}
