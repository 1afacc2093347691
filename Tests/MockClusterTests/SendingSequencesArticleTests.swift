import RdKafka
import Testing

// The "Sending an async sequence" article's code, verbatim, so that it keeps compiling and working.

/// Sends every line as a record, at most 500 in flight, and counts the failures.
func sendAll(_ lines: AsyncStream<String>, to topic: String, with producer: KafkaProducer) async throws -> Int {
    var failures = 0
    let records = lines.map { ProducerRecord(topic: topic, value: $0) }
    for try await outcome in producer.send(contentsOf: records, maxInFlight: 500) {
        if case .failure = outcome { failures += 1 }
    }
    return failures
}

@Suite("Sending an async sequence article", .timeLimit(.minutes(1)))
struct SendingSequencesArticleTests {
    @Test("sendAll delivers every line, in order, and counts no failure")
    func sendAllWorks() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        for index in 0..<2_000 { sink.yield("line \(index)") }
        sink.finish()
        #expect(try await sendAll(lines, to: fixture.topic, with: producer) == 0)
        let values = try await fixture.readBack(expecting: 2_000).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(values == (0..<2_000).map { "line \($0)" })
        await producer.shutdown()
    }
}
