import Testing

@testable import RdKafka

@Suite("Per-message opaque pointers")
struct MessageOpaqueTests {
    @Test("Correlation ids survive the round trip through a pointer", arguments: [0, 1, 42, 1 << 40, MessageOpaque.maximumCorrelationID])
    func correlationRoundTrip(id: UInt64) throws {
        let pointer = MessageOpaque.enqueued(correlationID: id).pointer
        guard case .enqueued(let decoded) = try #require(MessageOpaque(pointer)) else {
            Issue.record("decoded as another kind")
            return
        }
        #expect(decoded == id)
    }

    @Test("A batch entry pointer comes back as the same entry")
    func batchEntryRoundTrip() throws {
        let collector = BatchCollector(count: 3)
        let pointer = collector.route(forRecordAt: 2).pointer
        guard case .batchEntry(let entry) = try #require(MessageOpaque(pointer)) else {
            Issue.record("decoded as another kind")
            return
        }
        #expect(entry.pointee.index == 2)
        #expect(entry.pointee.collector.takeUnretainedValue() === collector)
        collector.complete((0..<3).map { ($0, .failure(KafkaError(code: .cancelled, message: ""))) })
    }

    @Test("A null opaque is no record of ours")
    func nullOpaque() {
        #expect(MessageOpaque(nil) == nil)
    }
}
