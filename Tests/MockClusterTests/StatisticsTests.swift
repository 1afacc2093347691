import RdKafka
import Synchronization
import TestSupport
import Testing

@Suite("Statistics", .timeLimit(.minutes(2)))
struct StatisticsTests {
    @Test("Statistics arrive as typed documents: brokers up with round-trip times, the topic's partitions and totals")
    func typedDocuments() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let producer = try fixture.producer { $0.statisticsInterval = .milliseconds(100) }
        let settled = Task { () -> ProducerStatistics? in
            for await statistics in producer.statistics where statistics.recordsSent >= 50 && statistics.queuedRecords == 0 {
                return statistics
            }
            return nil
        }
        let results = await producer.send(contentsOf: (0..<50).map { fixture.record("\($0)", partition: Int32($0 % 2)) })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        let statistics = try #require(await settled.value)
        // Round-trip times cover one interval's requests: send until a document shows some.
        var documents = producer.statistics.makeAsyncIterator()
        var answering: ProducerStatistics.Broker?
        while answering == nil {
            _ = try await producer.send(fixture.record("probe"))
            answering = try #require(await documents.next()).brokers.first { $0.roundTripTime != nil }
        }
        await producer.shutdown()

        #expect(statistics.clientID == "swift-rdkafka")
        #expect(statistics.recordsSent == 50)
        #expect(statistics.recordBytesSent > 0)
        #expect(statistics.brokers.contains { $0.state == "UP" && $0.nodeID >= 1 })
        #expect(answering?.state == "UP")
        #expect((answering?.roundTripTime?.average ?? .zero) > .zero)
        #expect(statistics.retries == 0)
        let topic = try #require(statistics.topics.first { $0.name == fixture.topic })
        let partitions = topic.partitions.filter { $0.id >= 0 }
        #expect(partitions.map(\.id) == [0, 1])
        #expect(partitions.map(\.recordsSent) == [25, 25])
        #expect(partitions.allSatisfy { $0.leader >= 1 })
        #expect(statistics.outstandingRecords(topic: fixture.topic) == 0)
    }

    @Test("Every reader receives the documents, and every reading loop ends when the producer shuts down")
    func readersEndAtShutdown() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer { $0.statisticsInterval = .milliseconds(50) }
        let seen = DocumentCounts()
        let readers = (0..<2).map { index in
            Task {
                for await _ in producer.statistics { seen.counts.withLock { $0[index] += 1 } }
            }
        }
        try await waitUntil { seen.counts.withLock { $0.allSatisfy { $0 >= 2 } } }
        await producer.shutdown()
        for reader in readers { await reader.value }
        var afterShutdown = 0
        for await _ in producer.statistics { afterShutdown += 1 }
        #expect(afterShutdown == 0)
    }

    @Test("Without an interval no documents come, and the sequence ends at shutdown")
    func noIntervalNoDocuments() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let reader = Task { () -> Int in
            var count = 0
            for await _ in producer.statistics { count += 1 }
            return count
        }
        _ = try await producer.send(fixture.record("one"))
        await producer.shutdown()
        #expect(await reader.value == 0)
    }
}

/// Documents received per reader, shared by the reading tasks.
private final class DocumentCounts: Sendable {
    let counts = Mutex([0, 0])
}
