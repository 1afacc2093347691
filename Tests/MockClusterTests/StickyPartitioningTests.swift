import RdKafka
import Testing

@Suite("Sticky partitioning of records without a key", .timeLimit(.minutes(2)))
struct StickyPartitioningTests {
    /// Sends `count` keyless records without waiting for each, and counts each partition's
    /// records from the delivery reports.
    static func deliveredPerPartition(count: Int, partitions: Int32, linger: Duration) async throws -> [Int] {
        let fixture = try ClusterFixture(partitions: partitions)
        let producer = try fixture.producer {
            $0.stickyPartitioningLinger = linger
            $0.deliveryReportBufferSize = count
        }
        // librdkafka calls a partition available (and keeps sticking to it) only once the
        // partition is with its leader: until then every keyless record picks afresh. A record
        // sent to each partition first makes the burst below start in that steady state.
        for partition in 0..<partitions { _ = try await producer.send(fixture.record("warm-up", partition: partition)) }
        for index in 0..<count {
            try await producer.enqueue(ProducerRecord(topic: fixture.topic, value: [1]), correlationID: UInt64(index))
        }
        var perPartition = [Int](repeating: 0, count: Int(partitions))
        var seen = 0
        for await outcome in producer.deliveryReports {
            perPartition[Int(try outcome.result.get().partition)] += 1
            seen += 1
            if seen == count { break }
        }
        await producer.shutdown()
        return perPartition
    }

    @Test("A long sticky linger keeps a burst of keyless records on one partition")
    func longLingerSticks() async throws {
        let counts = try await Self.deliveredPerPartition(count: 1_000, partitions: 4, linger: .seconds(60))
        #expect(counts.filter { $0 > 0 }.count == 1, "\(counts)")
    }
}
