import Foundation
import RdKafka
import TestSupport
import Testing

@Suite("Sending and reading back", .timeLimit(.minutes(2)))
struct SendTests {
    @Test("An awaited send returns the partition and offsets that increase by one")
    func awaitedSendReturnsIncreasingOffsets() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        var offsets: [Int64] = []
        for index in 0..<5 {
            let report = try await producer.send(fixture.record("value-\(index)"))
            #expect(report.topic == fixture.topic)
            #expect(report.partition == 0)
            offsets.append(try #require(report.offset))
        }
        #expect(offsets == [0, 1, 2, 3, 4])
        await producer.shutdown()
    }

    @Test("Records with the same key land on the same partition every time")
    func sameKeySamePartition() async throws {
        let fixture = try ClusterFixture(partitions: 6)
        let producer = try fixture.producer()
        for key in ["alpha", "beta", "gamma"] {
            var partitions = Set<Int32>()
            for index in 0..<20 {
                partitions.insert(try await producer.send(fixture.record("\(index)", key: key)).partition)
            }
            #expect(partitions.count == 1, "key \(key) went to \(partitions)")
        }
        await producer.shutdown()
    }

    @Test("An explicit partition is honoured")
    func explicitPartition() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        let producer = try fixture.producer()
        for partition: Int32 in 0..<4 {
            #expect(try await producer.send(fixture.record("p", partition: partition)).partition == partition)
        }
        await producer.shutdown()
    }

    @Test("An independent consumer reads back the same key, value, headers and timestamp")
    func readBackMatches() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let timestamp = Date(timeIntervalSince1970: 1_700_000_000.123)
        let headers: [ProducerRecord.Header] = [
            .init(name: "trace", value: "abc"),
            .init(name: "dup", value: "first"),
            .init(name: "dup", value: "second"),
            .init(name: "nothing", value: nil as [UInt8]?),
            .init(name: "empty", value: [UInt8]()),
            .init(name: "binary", value: [0, 255, 1, 254]),
        ]
        let records = [
            ProducerRecord(topic: fixture.topic, key: Array("k1".utf8), value: [1, 2, 3], headers: headers, timestamp: timestamp),
            ProducerRecord(topic: fixture.topic, key: nil, value: nil),  // a tombstone
            ProducerRecord(topic: fixture.topic, key: [], value: []),  // empty, not null
            ProducerRecord(topic: fixture.topic, key: "ключ", value: String(repeating: "v", count: 10_000)),
        ]
        var reports: [DeliveryReport] = []
        for record in records { reports.append(try await producer.send(record)) }
        // The report carries the broker's view: librdkafka's mock broker answers with a
        // LogAppendTime of its own, a real broker on a CreateTime topic echoes ours.
        #expect(reports.allSatisfy { $0.timestamp != nil && $0.timestampType != nil })
        if reports[0].timestampType == .createTime {
            #expect(reports[0].timestamp == timestamp)
        }

        let consumed = try await fixture.readBack(expecting: records.count)
        try #require(consumed.count == records.count)
        for (record, (read, report)) in zip(records, zip(consumed, reports)) {
            #expect(read.key == record.key)
            #expect(read.value == record.value)
            #expect(read.offset == report.offset)
            #expect(read.headers == record.headers.map { ConsumedHeader(name: $0.name, value: $0.value) })
        }
        #expect(consumed[0].timestampMilliseconds == 1_700_000_000_123)
        await producer.shutdown()
    }

    @Test("acks none, leader and all each deliver; only none reports no offset", arguments: Acks.allCases)
    func acksLevels(acks: Acks) async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer { $0.acks = acks }
        let report = try await producer.send(fixture.record("acks"))
        if acks == .none {
            #expect(report.offset == nil)
        } else {
            #expect(report.offset == 0)
        }
        await producer.shutdown()
        #expect(try await fixture.readBack(expecting: 1).count == 1)
    }

    @Test("send(contentsOf:) returns one result per record in order, failures in their slot")
    func batchSend() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        var records = (0..<1000).map { fixture.record("batch-\($0)") }
        records[500] = ProducerRecord(topic: "not a legal name!", value: "x")
        let results = await producer.send(contentsOf: records)
        #expect(results.count == 1000)
        var offsets: [Int64] = []
        for (index, result) in results.enumerated() where index != 500 {
            offsets.append(try #require(try result.get().offset))
        }
        #expect(offsets == Array(0..<999))
        #expect(throws: KafkaError.self) { try results[500].get() }
        if case .failure(let error) = results[500] {
            #expect(error.code == .invalidRecord)
            #expect(error.topic == "not a legal name!")
        }
        #expect(await producer.send(contentsOf: [ProducerRecord]()).isEmpty)
        await producer.shutdown()
    }

    @Test("Enqueued records report once each on deliveryReports with their correlation id")
    func fireAndForgetReports() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        let count = 5000
        for index in 0..<count {
            if index % 2 == 0 {
                try await producer.enqueue(fixture.record("\(index)"), correlationID: UInt64(index))
            } else {
                try producer.tryEnqueue(fixture.record("\(index)"), correlationID: UInt64(index))
            }
        }
        var seen = [Int](repeating: 0, count: count)
        var iterator = producer.deliveryReports.makeAsyncIterator()
        for _ in 0..<count {
            let outcome = try #require(await iterator.next())
            _ = try outcome.result.get()
            seen[Int(outcome.correlationID)] += 1
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(producer.droppedDeliveryReports == 0)
        await producer.shutdown()
        #expect(await iterator.next() == nil, "the sequence ends at shutdown")
    }

    @Test("Nobody reading deliveryReports neither stalls the producer nor grows without bound")
    func unreadReportsAreBounded() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer { $0.deliveryReportBufferSize = 100 }
        for index in 0..<1000 {
            try await producer.enqueue(fixture.record("\(index)"), correlationID: UInt64(index))
        }
        try await producer.flush(timeout: .seconds(20))
        #expect(producer.outstandingRecords == 0)
        #expect(producer.droppedDeliveryReports == 900)
        await producer.shutdown()
        var kept: [UInt64] = []
        for await outcome in producer.deliveryReports { kept.append(outcome.correlationID) }
        #expect(kept.count == 100, "only the newest reports are kept")
        #expect(try await fixture.readBack(expecting: 1000).count == 1000, "all records were still written")
    }

    @Test("A correlation id that does not fit is refused")
    func correlationIDTooLarge() async throws {
        let fixture = try ClusterFixture()
        let producer = try fixture.producer()
        #expect(throws: KafkaError.self) { try producer.tryEnqueue(fixture.record("x"), correlationID: .max) }
        await producer.shutdown()
    }

    @Test("flush waits until every enqueued record is reported")
    func flushEmptiesTheQueue() async throws {
        let fixture = try ClusterFixture(brokers: 1)
        // Down before the producer connects: every record is still outstanding when flush starts.
        try fixture.cluster.setBrokerDown(1)
        let producer = try fixture.producer()
        for index in 0..<2000 { try producer.tryEnqueue(fixture.record("\(index)")) }
        #expect(producer.outstandingRecords == 2000)
        let flush = Task { try await producer.flush(timeout: .seconds(30)) }
        try fixture.cluster.setBrokerUp(1)
        try await flush.value
        #expect(producer.outstandingRecords == 0)
        await producer.shutdown()
    }

    @Test("librdkafkaVersion reports the run-time library")
    func version() {
        #expect(librdkafkaVersion.hasPrefix("2."))
    }
}
