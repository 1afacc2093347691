import RdKafka
import TestSupport
import Testing

@Suite("Fatal errors", .timeLimit(.minutes(1)))
struct FatalErrorTests {
    @Test("An idempotent producer whose sequence breaks stops: fatalError is set and later sends fail with it")
    func outOfOrderSequenceIsFatal() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer { $0.enableIdempotence = true }
        _ = try await producer.send(fixture.record("before"))
        #expect(producer.fatalError == nil)
        // OUT_OF_ORDER_SEQUENCE_NUMBER (45): the broker says records went missing between this
        // producer's batches, which idempotence cannot repair.
        fixture.cluster.pushRequestErrors([KafkaError.Code(rawValue: 45)])
        let error = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("breaks")) }
        #expect(error.code.rawValue == 45, "the record that hit it names the broker's error: \(error)")
        try await waitUntil { producer.fatalError != nil }
        #expect(producer.fatalError?.isFatal == true)
        #expect(producer.fatalError?.code.rawValue == 45)
        let later = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("after")) }
        #expect(later.code == .fatal, "\(later)")
        await producer.shutdown()
    }
}
