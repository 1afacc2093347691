import Foundation
import RdKafka
import Testing

/// 100,000 records through every send path, the failing ones included, then shutdown: the run
/// `scripts/sanitize leaks` watches with LeakSanitizer, which reports at process exit whatever
/// memory nothing points to any more (a record's copy, headers, an opaque box, a continuation).
@Suite("Leak check: 100,000 sends", .timeLimit(.minutes(5)))
struct LeakCheckTests {
    static let records = ProcessInfo.processInfo.environment["RDKAFKA_TEST_LEAK_RECORDS"].flatMap(Int.init) ?? 100_000

    @Test("100,000 records over awaited, batch and fire-and-forget sends are all acknowledged")
    func hundredThousandSends() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        let producer = try fixture.producer { $0.deliveryReportBufferSize = Self.records }
        let quarter = Self.records / 4
        func record(_ index: Int) -> ProducerRecord {
            var record = fixture.record("value-\(index)", key: "key-\(index % 101)")
            record.headers = [.init(name: "index", value: Array("\(index)".utf8)), .init(name: "empty", value: nil)]
            return record
        }
        var acknowledged = 0
        // Awaited, from 50 tasks.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for index in stride(from: task, to: quarter, by: 50) { _ = try await producer.send(record(index)) }
                    return (quarter - task + 49) / 50
                }
            }
            for try await count in group { acknowledged += count }
        }
        // In batches of 1,000.
        for start in stride(from: quarter, to: 2 * quarter, by: 1000) {
            for result in await producer.send(contentsOf: (start..<min(start + 1000, 2 * quarter)).map(record)) {
                _ = try result.get()
                acknowledged += 1
            }
        }
        // Fire and forget, outcomes read from the report sequence.
        for index in 2 * quarter..<Self.records { try await producer.enqueue(record(index), correlationID: UInt64(index)) }
        var reports = 0
        for await outcome in producer.deliveryReports {
            _ = try outcome.result.get()
            reports += 1
            if reports == Self.records - 2 * quarter { break }
        }
        acknowledged += reports
        // Refused at once: librdkafka keeps nothing of these, so neither may we.
        for _ in 0..<100 {
            var oversized = record(0)
            oversized.value = [UInt8](repeating: 1, count: 2_000_000)
            #expect(throws: KafkaError.self) { try producer.tryEnqueue(oversized) }
            #expect(throws: KafkaError.self) { try producer.tryEnqueue(ProducerRecord(topic: "no spaces", value: "x")) }
        }
        #expect(acknowledged == Self.records)
        await producer.shutdown()
        #expect(producer.outstandingRecords == 0)
    }
}
