import RdKafka
import Synchronization
import Testing

/// Records `prefix-0`, `prefix-1`, ... pulled one at a time (up to `limit`, then a thrown
/// error or the end), counting the pulls and saying when the producer let go of the iterator.
final class CountingRecords: AsyncSequence, Sendable {
    struct Failed: Error {}

    let topic: String
    let limit: Int?
    let throwAtLimit: Bool
    /// Records in input order go to partition `index % partitions`.
    let partitions: Int32
    let pulls = Atomic<Int>(0)
    let (released, releasedSink) = AsyncStream.makeStream(of: Void.self)
    /// The reader's count of outcomes received, for the backpressure check at each pull.
    let read = Atomic<Int>(0)
    let mostAhead = Atomic<Int>(0)

    init(topic: String, limit: Int?, throwAtLimit: Bool = false, partitions: Int32 = 2) {
        self.topic = topic
        self.limit = limit
        self.throwAtLimit = throwAtLimit
        self.partitions = partitions
    }

    func makeAsyncIterator() -> Iterator { Iterator(records: self) }

    final class Iterator: AsyncIteratorProtocol {
        let records: CountingRecords
        init(records: CountingRecords) { self.records = records }
        deinit { records.releasedSink.yield() }

        func next() async throws -> ProducerRecord? {
            let index = records.pulls.add(1, ordering: .sequentiallyConsistent).oldValue
            let ahead = index + 1 - records.read.load(ordering: .sequentiallyConsistent)
            records.mostAhead.max(ahead, ordering: .sequentiallyConsistent)
            if let limit = records.limit, index >= limit {
                if records.throwAtLimit { throw Failed() }
                return nil
            }
            return ProducerRecord(topic: records.topic, value: "r-\(index)", partition: Int32(index) % records.partitions)
        }
    }
}

@Suite("send(contentsOf:) over an async sequence", .timeLimit(.minutes(2)))
struct SendSequenceTests {
    @Test("Outcomes come in input order although a slow partition finishes later; each partition is written in input order")
    func inputOrder() async throws {
        let fixture = try ClusterFixture(brokers: 2, partitions: 2)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 0, broker: 1)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 1, broker: 2)
        try fixture.cluster.setRoundTripTime(.milliseconds(200), broker: 1)
        let producer = try fixture.producer()
        let records = CountingRecords(topic: fixture.topic, limit: 200)
        var index = 0
        var lastOffset: [Int32: Int64] = [:]
        for try await outcome in producer.send(contentsOf: records, maxInFlight: 50) {
            let report = try outcome.get()
            #expect(report.partition == Int32(index % 2), "outcome \(index)")
            #expect(report.offset! > lastOffset[report.partition, default: -1], "offsets follow the input order")
            lastOffset[report.partition] = report.offset!
            index += 1
            records.read.store(index, ordering: .sequentiallyConsistent)
        }
        #expect(index == 200)
        let readBack = try await fixture.readBack(expecting: 200)
        for partition: Int32 in 0..<2 {
            let values = readBack.filter { $0.partition == partition }.map { String(decoding: $0.value ?? [], as: UTF8.self) }
            #expect(values == stride(from: Int(partition), to: 200, by: 2).map { "r-\($0)" })
        }
        await producer.shutdown()
    }

    @Test("A slow reader slows the pulling: never more than maxInFlight records ahead of it")
    func backpressure() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer()
        let records = CountingRecords(topic: fixture.topic, limit: 100)
        var index = 0
        for try await outcome in producer.send(contentsOf: records, maxInFlight: 8) {
            _ = try outcome.get()
            index += 1
            records.read.store(index, ordering: .sequentiallyConsistent)
            if index % 10 == 0 { try await producer.flush(timeout: .seconds(5)) }  // a reader busy elsewhere
        }
        #expect(index == 100)
        // One more than the window at most: the pump may pull between the window freeing a slot
        // and the reader counting the outcome it got.
        #expect(records.mostAhead.load(ordering: .sequentiallyConsistent) <= 8 + 1)
        await producer.shutdown()
    }

    @Test("Cancelling the reader stops the pulling: the records are let go of, and ended within the window")
    func cancellation() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer()
        let records = CountingRecords(topic: fixture.topic, limit: nil)  // endless
        let reader = Task {
            var count = 0
            for try await outcome in producer.send(contentsOf: records, maxInFlight: 16) {
                _ = try outcome.get()
                count += 1
                records.read.store(count, ordering: .sequentiallyConsistent)
                if count == 40 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return count
        }
        let count = try await reader.value
        #expect(count == 40, "the sequence ended at the cancellation")
        var released = records.released.makeAsyncIterator()
        _ = await released.next()  // the producer let go of the endless sequence: pulling is over
        #expect(records.pulls.load(ordering: .sequentiallyConsistent) <= 40 + 16 + 1)
        await producer.shutdown()
    }

    @Test("Dropping the outcomes unread stops the pulling")
    func droppedUnread() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer()
        let records = CountingRecords(topic: fixture.topic, limit: nil)
        _ = producer.send(contentsOf: records, maxInFlight: 4)
        var released = records.released.makeAsyncIterator()
        _ = await released.next()
        #expect(records.pulls.load(ordering: .sequentiallyConsistent) <= 4 + 1)
        await producer.shutdown()
    }

    @Test("An error from the records ends the outcomes with it, after those of the records before it")
    func sourceError() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer()
        let records = CountingRecords(topic: fixture.topic, limit: 25, throwAtLimit: true)
        var count = 0
        await #expect(throws: CountingRecords.Failed.self) {
            for try await outcome in producer.send(contentsOf: records, maxInFlight: 10) {
                _ = try outcome.get()
                count += 1
            }
        }
        #expect(count == 25)
        await producer.shutdown()
    }

    @Test("A record that cannot be sent gets its error in its slot; the others are sent")
    func failedRecordInItsSlot() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer()
        let (stream, sink) = AsyncStream.makeStream(of: ProducerRecord.self)
        for index in 0..<5 { sink.yield(fixture.record("v\(index)", partition: index == 2 ? 9 : 0)) }
        sink.finish()
        var outcomes: [Result<DeliveryReport, KafkaError>] = []
        for try await outcome in producer.send(contentsOf: stream, maxInFlight: 3) { outcomes.append(outcome) }
        #expect(outcomes.count == 5)
        for (index, outcome) in outcomes.enumerated() {
            if index == 2 {
                #expect(throws: KafkaError.self) { try outcome.get() }
            } else {
                #expect(try outcome.get().partition == 0)
            }
        }
        await producer.shutdown()
    }

    @Test("maxInFlight below 1 is a typed error, and nothing is pulled")
    func badWindow() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let records = CountingRecords(topic: fixture.topic, limit: 5)
        do {
            for try await _ in producer.send(contentsOf: records, maxInFlight: 0) {}
            Issue.record("a window of 0 was accepted")
        } catch let error as KafkaError {
            #expect(error.code == .invalidArgument)
        }
        #expect(records.pulls.load(ordering: .sequentiallyConsistent) == 0)
        await producer.shutdown()
    }
}

@Suite("Sending a sequence across shutdown", .timeLimit(.minutes(1)))
struct SendSequenceShutdownTests {
    @Test("Shutdown stops the pulling of an endless sequence: the outcomes already pulled come, then shutdown is thrown")
    func shutdownStopsPulling() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer()
        // Endless as far as the producer can tell: a bound far past what it may pull.
        let records = CountingRecords(topic: fixture.topic, limit: 200_000)
        let outcomes = producer.send(contentsOf: records, maxInFlight: 10)
        var iterator = outcomes.makeAsyncIterator()
        for _ in 0..<20 {
            let outcome = try #require(try await iterator.next())
            #expect((try? outcome.get()) != nil)
            records.read.add(1, ordering: .sequentiallyConsistent)
        }
        await producer.shutdown()
        let pulledAtShutdown = records.pulls.load(ordering: .sequentiallyConsistent)
        var after = 0
        do {
            while try await iterator.next() != nil { after += 1 }
            Issue.record("the sequence ended without saying the producer shut down")
        } catch let error as KafkaError {
            #expect(error.code == .shutdown)
        }
        let pulled = records.pulls.load(ordering: .sequentiallyConsistent)
        // The window allows 10 records ahead of the reader; at most one more is pulled while
        // shutdown closes the producer.
        #expect(pulled <= pulledAtShutdown + 1, "pulled \(pulled), \(pulledAtShutdown) at shutdown")
        #expect(after <= pulled - 20)
    }
}
