import Foundation
import RdKafka
import TestSupport
import Testing

/// Records written over TLS, read back by kafka-python: a client that shares no code with
/// librdkafka or this package, so it checks our wire format independently.
@Suite(
    "Real broker: read back by kafka-python", .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"),
    .timeLimit(.minutes(2)))
struct IndependentReaderTests {
    let broker = BrokerEnvironment.current!

    struct ReadRecord: Decodable, Equatable {
        var partition: Int32
        var key: String?
        var value: String?
        var headers: [[String?]]
    }

    @Test("kafka-python reads back over TLS the same keys, values and headers, in order per partition")
    func readBackOverTLS() async throws {
        let topic = BrokerEnvironment.uniqueTopic("read-back")
        var configuration = ProducerConfiguration(bootstrapServers: [broker.tls])
        configuration.security = SecurityConfiguration(tls: TLSConfiguration(trustRoots: .file(broker.ca)))
        configuration.linger = .milliseconds(1)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        let records = (0..<30).map { index in
            ProducerRecord(
                topic: topic,
                key: Array("key-\(index % 5)".utf8),
                value: index == 7 ? nil : Array("value-\(index)-é".utf8) + [0, 255],
                headers: [
                    .init(name: "seq", value: "\(index)"), .init(name: "dup", value: "a"), .init(name: "dup", value: "b"),
                    .init(name: "none", value: nil as [UInt8]?),
                ])
        }
        var sent: [(partition: Int32, record: ProducerRecord)] = []
        for record in records {
            sent.append((try await producer.send(record).partition, record))
        }
        await producer.shutdown()

        let read = try await readBack(topic: topic, count: records.count)
        let expected = sent.map { partition, record in
            ReadRecord(
                partition: partition, key: Self.hex(record.key), value: Self.hex(record.value),
                headers: record.headers.map { [$0.name, Self.hex($0.value)] })
        }
        #expect(read.count == expected.count)
        for partition in Set(expected.map(\.partition)) {
            #expect(read.filter { $0.partition == partition } == expected.filter { $0.partition == partition }, "partition \(partition)")
        }
    }

    @Test(
        "Records purged before they left come back whole in their failures; resent to a dead-letter topic, kafka-python reads them unchanged"
    )
    func purgedRecordsResentAndReadBack() async throws {
        let topic = BrokerEnvironment.uniqueTopic("outbox")
        let deadLetters = BrokerEnvironment.uniqueTopic("dead-letters")
        var configuration = ProducerConfiguration(bootstrapServers: [broker.tls])
        configuration.security = SecurityConfiguration(tls: TLSConfiguration(trustRoots: .file(broker.ca)))
        // The outbox's producer reaches no broker (nothing listens on port 1), so nothing leaves
        // its local queue before the purge.
        var unreachable = configuration
        unreachable.bootstrapServers = ["127.0.0.1:1"]
        let producer = try KafkaProducer(configuration: unreachable, logger: quietLogger)
        let records = (0..<12).map { Self.outboxRecord(index: $0, topic: topic) }
        for (index, record) in records.enumerated() {
            try await producer.enqueue(record, correlationID: UInt64(index))
        }
        #expect(try await producer.purge(queued: true) == records.count)

        var returned: [ProducerRecord?] = Array(repeating: nil, count: records.count)
        var reported = 0
        for await outcome in producer.deliveryReports {
            guard case .failure(let error) = outcome.result else {
                Issue.record("record \(outcome.correlationID) was delivered although purged")
                break
            }
            #expect(error.code == .purgedFromQueue && error.isSafeToResend, "\(error)")
            returned[Int(outcome.correlationID)] = error.record
            reported += 1
            if reported == records.count { break }
        }
        await producer.shutdown()
        for (index, record) in records.enumerated() {
            guard var handedBack = returned[index] else {
                Issue.record("record \(index) was not handed back")
                continue
            }
            // The partitioner may already have chosen one; the rest of the record must be as given.
            handedBack.partition = nil
            #expect(handedBack == record, "record \(index)")
        }

        // Resent as they came back, to another topic, by a producer that sends at once.
        var resending = configuration
        resending.linger = .milliseconds(1)
        let resender = try KafkaProducer(configuration: resending, logger: quietLogger)
        for case var record? in returned {
            record.topic = deadLetters
            record.partition = nil
            _ = try await resender.send(record)
        }
        await resender.shutdown()

        let read = try await readBack(topic: deadLetters, count: records.count)
        let readContents: [String] = read.map { Self.contents(key: $0.key, value: $0.value, headers: $0.headers) }
        let sentContents: [String] = records.map { record in
            let headers: [[String?]] = record.headers.map { [$0.name, Self.hex($0.value)] }
            return Self.contents(key: Self.hex(record.key), value: Self.hex(record.value), headers: headers)
        }
        #expect(readContents.sorted() == sentContents.sorted())
    }

    /// Record `index` of the outbox test: keys, values and headers of every kind, including none.
    private static func outboxRecord(index: Int, topic: String) -> ProducerRecord {
        let key: [UInt8]? = index == 3 ? nil : Array("key-\(index)".utf8)
        let value: [UInt8]? = index == 5 ? nil : Array("value-\(index)-é".utf8) + [0, 255]
        let headers: [ProducerRecord.Header] = [.init(name: "seq", value: "\(index)"), .init(name: "none", value: nil as [UInt8]?)]
        // Whole seconds, so that the millisecond timestamp handed back compares equal.
        let timestamp = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
        return ProducerRecord(topic: topic, key: key, value: value, headers: headers, timestamp: timestamp)
    }

    private static func hex(_ bytes: [UInt8]?) -> String? {
        bytes.map { $0.map { String(format: "%02x", $0) }.joined() }
    }

    private static func contents(key: String?, value: String?, headers: [[String?]]) -> String {
        "\(key ?? "-") \(value ?? "-") \(headers)"
    }

    private func readBack(topic: String, count: Int) async throws -> [ReadRecord] {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/broker/read-back")
        let outcome = try await ChildProcess.run(script.path, [broker.tls, topic, "\(count)", broker.ca])
        try #require(outcome.status == 0, "read-back exited with \(outcome.status): \(String(decoding: outcome.errors, as: UTF8.self))")
        let data = outcome.output
        return try JSONDecoder().decode([ReadRecord].self, from: data)
    }
}
