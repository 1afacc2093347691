import RdKafka
import Testing

// The "Consume, transform, produce" article's code, verbatim, so that it keeps compiling and working.

/// Writes one total per user and moves the group past the input it came from, atomically.
func commitTotals(_ totals: [String: Int], consumedUpTo next: [ConsumerOffset], producer: KafkaProducer) async throws {
    try await producer.withTransaction { (transaction: borrowing Transaction) in
        for (user, total) in totals {
            _ = try await transaction.send(ProducerRecord(topic: "totals", key: user, value: String(total)))
        }
        try await transaction.sendOffsets(next, groupID: "totaller")
    }
}

@Suite("Consume, transform, produce article", .timeLimit(.minutes(1)))
struct ConsumeTransformProduceArticleTests {
    @Test("commitTotals commits the totals with the offsets")
    func commitTotalsWorks() async throws {
        let fixture = try ClusterFixture(topic: "totals", partitions: 1)
        try fixture.cluster.createTopic("events", partitions: 1)
        let producer = try fixture.producer { $0.transactionalID = "totaller-1" }
        try await producer.initTransactions(timeout: .seconds(30))
        try await commitTotals(
            ["ada": 3, "grace": 5], consumedUpTo: [ConsumerOffset(topic: "events", partition: 0, offset: 8)], producer: producer)
        let values = try await fixture.readBack(expecting: 2).map { String(decoding: $0.value ?? [], as: UTF8.self) }.sorted()
        #expect(values == ["3", "5"])
        await producer.shutdown()
    }
}
