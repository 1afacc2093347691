import Logging
import RdKafka
import Synchronization
import TestSupport
import Testing

/// Cancellation and shutdown landing at arbitrary moments of many concurrent sends: before the
/// record is enqueued, while it waits for queue room, while it is in flight. Whatever the moment,
/// every task ends, its outcome is true to what was written, and no record is left counted.
@Suite("Cancellation and shutdown races", .timeLimit(.minutes(2)))
struct CancellationRaceTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    enum Outcome {
        case delivered(String)
        case failed(String, KafkaError)
    }

    /// Every record of `topic`, read to the end of every partition.
    func everything(_ fixture: ClusterFixture, atLeast count: Int) async throws -> [String] {
        let records = try await TestConsumer.consume(
            topic: fixture.topic, partitions: fixture.partitions, bootstrapServers: fixture.cluster.bootstrapServers,
            expecting: count, readToEnd: true)
        withExtendedLifetime(fixture.cluster) {}
        return records.map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    @Test("1,000 sends cancelled at random moments: cancelled ones were never written, the rest got their real outcome")
    func randomCancellation() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        for broker: Int32 in 1...3 { try fixture.cluster.setRoundTripTime(.milliseconds(20), broker: broker) }
        // A small queue, so that many tasks are cancelled while they wait for room.
        let producer = try fixture.producer { $0.queueMaxRecords = 50 }
        let tasks = (0..<1000).map { index in
            Task { () -> Outcome in
                let value = "record-\(index)"
                do {
                    _ = try await producer.send(fixture.record(value, key: value))
                    return .delivered(value)
                } catch let error as KafkaError {
                    return .failed(value, error)
                } catch {
                    Issue.record("send threw a non-KafkaError: \(error)")
                    return .failed(value, KafkaError(code: .invalidArgument, message: "\(error)"))
                }
            }
        }
        // Random moments: some before the task first runs, others after up to about 0.75 s of sending.
        var generator = SystemRandomNumberGenerator()
        for task in tasks.shuffled(using: &generator) {
            if Bool.random(using: &generator) { try await Task.sleep(for: .microseconds(Int.random(in: 0..<1500, using: &generator))) }
            task.cancel()
        }
        var delivered: Set<String> = []
        var cancelled: Set<String> = []
        for task in tasks {
            switch await task.value {
            case .delivered(let value): delivered.insert(value)
            case .failed(let value, let error):
                #expect(error.code == .cancelled, "the only failure a cancelled send may see is cancelled: \(error)")
                cancelled.insert(value)
            }
        }
        #expect(delivered.count + cancelled.count == 1000)
        try await waitUntil { producer.outstandingRecords == 0 }
        let written = try await everything(fixture, atLeast: delivered.count)
        #expect(written.count == delivered.count, "each delivered record once, no cancelled one")
        #expect(Set(written) == delivered)
        print("random cancellation: \(delivered.count) delivered, \(cancelled.count) cancelled before enqueue, all 1,000 ended")
        await producer.shutdown()
    }

    @Test(
        "Shutdown while 100 tasks send: each ends delivered or with a typed shutdown error, and nothing reported failed was written unless in flight"
    )
    func shutdownWhileSending() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        for broker: Int32 in 1...3 { try fixture.cluster.setRoundTripTime(.milliseconds(10), broker: broker) }
        let producer = try fixture.producer()
        let deliveredCount = Counter()
        let tasks = (0..<100).map { sender in
            Task { () -> [Outcome] in
                var outcomes: [Outcome] = []
                for index in 0... {
                    let value = "sender-\(sender)-\(index)"
                    do {
                        _ = try await producer.send(fixture.record(value, key: "\(sender)"))
                        deliveredCount.value.add(1, ordering: .relaxed)
                        outcomes.append(.delivered(value))
                    } catch let error as KafkaError {
                        outcomes.append(.failed(value, error))
                        if error.code == .shutdown { return outcomes }
                    } catch {
                        Issue.record("send threw a non-KafkaError: \(error)")
                        return outcomes
                    }
                }
                return outcomes
            }
        }
        try await waitUntil { deliveredCount.value.load(ordering: .relaxed) >= 500 }
        await producer.shutdown(flushTimeout: .milliseconds(5))
        var delivered: Set<String> = []
        var notWritten: Set<String> = []
        var failures: [String: Int] = [:]
        for task in tasks {
            for outcome in await task.value {
                switch outcome {
                case .delivered(let value): delivered.insert(value)
                case .failed(let value, let error):
                    failures[error.code.name, default: 0] += 1
                    #expect([.shutdown, .purgedFromQueue, .purgedInFlight].contains(error.code), "\(error)")
                    if error.code != .purgedInFlight { notWritten.insert(value) }
                }
            }
        }
        #expect(producer.outstandingRecords == 0)
        let written = Set(try await everything(fixture, atLeast: delivered.count))
        #expect(delivered.isSubset(of: written), "\(delivered.subtracting(written).count) records reported delivered were not written")
        #expect(notWritten.isDisjoint(with: written), "records reported not sent were written")
        print("shutdown while sending: \(delivered.count) delivered, failures \(failures)")
    }

    @Test("A producer released without shutdown logs a warning naming its outstanding records")
    func releasedWithoutShutdownLogs() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let box = CapturingLogHandlerBox()
        // Down until the producer is released, so that all 100 records are still outstanding then.
        try fixture.cluster.setBrokerDown(1)
        do {
            let producer = try fixture.producer({ _ in }, logger: Logger(label: "test") { _ in box.handler() })
            for index in 0..<100 { try producer.tryEnqueue(fixture.record("\(index)")) }
        }
        try fixture.cluster.setBrokerUp(1)
        let warning = box.entries.withLock { $0.first { $0.message.contains("released without shutdown") } }
        #expect(warning?.level == .warning)
        #expect(warning?.metadata["outstanding"] == "100")
        #expect(try await fixture.readBack(expecting: 100).count == 100)
    }
}
