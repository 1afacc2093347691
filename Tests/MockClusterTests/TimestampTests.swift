import Foundation
import RdKafka
import TestSupport
import Testing

/// A record's timestamp from untrusted input: what Kafka cannot carry as given is refused when
/// the record is sent (never a trap converting to milliseconds, never silently replaced by
/// "now" or dropped from the report), and what it can carry is stored as given.
@Suite("Record timestamps", .timeLimit(.minutes(1)))
struct TimestampTests {
    static let unrepresentable: [Date] = [
        Date(timeIntervalSince1970: .nan),
        Date(timeIntervalSince1970: .infinity),
        Date(timeIntervalSince1970: -.infinity),
        Date(timeIntervalSince1970: 1e16),
        Date(timeIntervalSince1970: -1e16),
        // librdkafka reads 0 as "now".
        Date(timeIntervalSince1970: 0),
        Date(timeIntervalSince1970: 0.000_4),
        // Kafka reads a negative timestamp as "none".
        Date(timeIntervalSince1970: -0.001),
        Date(timeIntervalSince1970: -86_400),
    ]

    @Test("A timestamp Kafka cannot carry is refused by every send path, naming it, and nothing is enqueued")
    func unrepresentableTimestampsAreRefused() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        for date in Self.unrepresentable {
            var record = fixture.record("bad time")
            record.timestamp = date
            let context = "timestamp \(date.timeIntervalSince1970)"
            for error in [
                await #expect(throws: KafkaError.self, "\(context)") { try await producer.send(record) },
                await #expect(throws: KafkaError.self, "\(context)") { try await producer.enqueue(record, correlationID: 1) },
                #expect(throws: KafkaError.self, "\(context)") { try producer.tryEnqueue(record, correlationID: 2) },
            ] {
                #expect(error?.code == .invalidRecord, "\(context)")
                #expect(error?.message.contains("timestamp") == true, "\(context)")
                #expect(error?.topic == fixture.topic, "\(context)")
            }
            let batch = await producer.send(contentsOf: [record])
            #expect(throws: KafkaError.self, "\(context)") { try batch[0].get() }
            #expect(producer.outstandingRecords == 0, "\(context)")
        }
        await producer.shutdown()
        #expect(producer.droppedDeliveryReports == 0)
    }

    @Test("1 ms after 1970 and 9e15 ms (year ~287,000) are stored as given")
    func edgeTimestampsAreStored() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let timestamps: [Int64] = [1, 9_000_000_000_000_000]
        for milliseconds in timestamps {
            var record = fixture.record("t\(milliseconds)")
            record.timestamp = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let report = try await producer.send(record)
            // The mock broker may answer with a LogAppendTime of its own; a CreateTime report
            // echoes ours.
            if report.timestampType == .createTime {
                #expect(report.timestamp == record.timestamp)
            }
        }
        let consumed = try await fixture.readBack(expecting: timestamps.count)
        #expect(consumed.map(\.timestampMilliseconds) == timestamps)
        await producer.shutdown()
    }
}
