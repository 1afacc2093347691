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
        func hex(_ bytes: [UInt8]?) -> String? { bytes.map { $0.map { String(format: "%02x", $0) }.joined() } }
        let expected = sent.map { partition, record in
            ReadRecord(
                partition: partition, key: hex(record.key), value: hex(record.value),
                headers: record.headers.map { [$0.name, hex($0.value)] })
        }
        #expect(read.count == expected.count)
        for partition in Set(expected.map(\.partition)) {
            #expect(read.filter { $0.partition == partition } == expected.filter { $0.partition == partition }, "partition \(partition)")
        }
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
