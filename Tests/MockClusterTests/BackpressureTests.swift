import RdKafka
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
        try producer.tryEnqueue(fixture.record("fills the queue"))
        let started = ContinuousClock.now
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("waits")) }
        #expect(error.code == .queueFull)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        await producer.shutdown(flushTimeout: .milliseconds(100))
    }
}
