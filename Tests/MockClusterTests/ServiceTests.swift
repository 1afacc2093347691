import RdKafka
import ServiceLifecycle
import TestSupport
import Testing

@Suite("KafkaProducer as a Service", .timeLimit(.minutes(2)))
struct ServiceTests {
    @Test("A ServiceGroup's graceful shutdown delivers the accepted records, then sends fail with shutdown")
    func gracefulShutdownDelivers() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let group = ServiceGroup(services: [producer], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for index in 0..<100 { try await producer.enqueue(fixture.record("\(index)")) }
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
        #expect(producer.outstandingRecords == 0)
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("late")) }
        #expect(error.code == .shutdown)
        #expect(try await fixture.readBack(expecting: 100).count == 100)
    }

    @Test("Records the broker cannot take by the deadline fail with a purge error, and the group ends at the deadline")
    func deadlineFailsWhatRemains() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer {
            $0.gracefulShutdownTimeout = .milliseconds(500)
            $0.deliveryTimeout = .seconds(120)
        }
        _ = try await producer.send(fixture.record("warm-up"))
        try fixture.cluster.setBrokerDown(1)
        let stuck = Task { try await producer.send(fixture.record("stuck")) }
        try await waitUntil { producer.outstandingRecords == 1 }

        let group = ServiceGroup(services: [producer], logger: quietLogger)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
        let elapsed = ContinuousClock.now - started
        // Alone this takes the 0.5 s deadline; the bound leaves room for a loaded machine while
        // staying below the 30 s default shutdown timeout and the 120 s delivery timeout.
        #expect(elapsed >= .milliseconds(500) && elapsed < .seconds(25), "shutdown took \(elapsed)")
        let error = try await #require(throws: KafkaError.self) { try await stuck.value }
        #expect([KafkaError.Code.purgedFromQueue, .purgedInFlight].contains(error.code), "\(error)")
    }

    @Test("Cancelling the group shuts the producer down too")
    func cancellationShutsDown() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let group = ServiceGroup(services: [producer], logger: quietLogger)
        let running = Task { try await group.run() }
        _ = try await producer.send(fixture.record("before"))
        running.cancel()
        _ = try? await running.value
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("after")) }
        #expect(error.code == .shutdown)
    }
}
