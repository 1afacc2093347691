import RdKafka
import Testing

// The "Delivery guarantees" article's dead-letter example, verbatim, so that it keeps compiling
// and doing what it says.

func sendOrPark(_ record: ProducerRecord, with producer: KafkaProducer, deadLetters: inout [ProducerRecord]) async throws {
    do {
        _ = try await producer.send(record)
    } catch let error as KafkaError {
        guard var failed = error.record else { throw error }
        if error.isSafeToResend {
            failed.partition = nil  // let the partitioner choose again
            _ = try await producer.send(failed)
        } else {
            deadLetters.append(failed)  // may be written already: a person or a deduplicating consumer decides
        }
    }
}

@Suite("Delivery guarantees article", .timeLimit(.minutes(1)))
struct FailedRecordArticleTests {
    @Test("sendOrPark resends a record refused before the write and parks one failed after it")
    func sendOrParkResendsAndParks() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 3)
        let producer = try fixture.producer { $0.retries = 0 }
        _ = try await producer.send(fixture.record("warm-up", partition: 1))
        var deadLetters: [ProducerRecord] = []

        fixture.cluster.pushRequestErrors([.notEnoughReplicas])
        try await sendOrPark(fixture.record("resent", partition: 2), with: producer, deadLetters: &deadLetters)
        #expect(deadLetters.isEmpty)

        fixture.cluster.pushRequestErrors([.notEnoughReplicasAfterAppend])
        try await sendOrPark(fixture.record("parked", partition: 2), with: producer, deadLetters: &deadLetters)
        #expect(deadLetters.map(\.value) == [Array("parked".utf8)])
        #expect(deadLetters.first?.partition == 2)
        await producer.shutdown()

        let values = try await fixture.readBack(expecting: 2).map(\.value)
        #expect(values.contains(Array("resent".utf8)))
        #expect(values.contains(Array("warm-up".utf8)))
    }
}
