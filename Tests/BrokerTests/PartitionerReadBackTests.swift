import Foundation
import RdKafka
import Synchronization
import TestSupport
import Testing

/// Where records land, as kafka-python (which shares no code with librdkafka or this package)
/// reads them back from the real broker: the partition a Swift partitioner chose, and the
/// partition ``Partitioner/murmur2Partition(forKey:partitionCount:)`` predicts for the murmur2
/// setting. Topics are created with a set partition count (tansu would give 4 on first use).
@Suite(
    "Real broker: partitioners, read back by kafka-python",
    .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct PartitionerReadBackTests {
    let broker = BrokerEnvironment.current!

    struct ReadRecord: Decodable {
        var partition: Int32
        /// Hex; `nil` for an absent key.
        var key: String?
    }

    /// A key the custom partitioner cannot place (no number at its end).
    struct Unplaceable: Error {}

    /// The custom partitioner's rule: the decimal number at the end of the key, or `nil`.
    static func trailingNumber(of key: some Collection<UInt8>) -> Int32? {
        let digits = key.reversed().prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard !digits.isEmpty, digits.count < 9 else { return nil }
        return digits.reversed().reduce(0) { $0 * 10 + Int32($1 - UInt8(ascii: "0")) }
    }

    @Test("Each record lands on the partition the Swift closure chose for its key, as kafka-python reads it")
    func customPartitionerPlacementReadBack() async throws {
        let partitions: Int32 = 7
        let topic = BrokerEnvironment.uniqueTopic("custom-partitioner")
        try await createTopic(topic, partitions: partitions)
        // Counted, not collected: the closure runs on librdkafka's threads, and atomics keep it
        // free of locks.
        let calls = Atomic<Int>(0)
        let callsWithAnotherCount = Atomic<Int>(0)
        var configuration = ProducerConfiguration(bootstrapServers: [broker.plain])
        configuration.linger = .milliseconds(1)
        configuration.partitioner = .custom { key, partitionCount, _ in
            calls.add(1, ordering: .relaxed)
            if partitionCount != partitions { callsWithAnotherCount.add(1, ordering: .relaxed) }
            guard let key, let number = Self.trailingNumber(of: key) else { throw Unplaceable() }
            return number % partitionCount
        }
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        // 28 keys, 4 for each partition; whatever librdkafka would choose by itself (a CRC32 of the
        // key) puts them elsewhere.
        let keys = (0..<28).map { "customer-\($0)" }
        let results = await producer.send(
            contentsOf: keys.map { ProducerRecord(topic: topic, key: Array($0.utf8), value: Array("v".utf8)) })
        await producer.shutdown()
        for (key, result) in zip(keys, results) {
            #expect(try result.get().partition == Self.trailingNumber(of: key.utf8)! % partitions, "delivery report for \(key)")
        }
        #expect(calls.load(ordering: .relaxed) >= keys.count)
        #expect(callsWithAnotherCount.load(ordering: .relaxed) == 0, "the closure was told the topic's partition count")

        let read = try await readBack(topic: topic, count: keys.count)
        #expect(read.map { String(decoding: $0.key, as: UTF8.self) }.sorted() == keys.sorted())
        for (key, partition) in read {
            let number = try #require(Self.trailingNumber(of: key), "key \(key) read back")
            #expect(partition == number % partitions, "key \(String(decoding: key, as: UTF8.self)) read back")
        }
        #expect(Set(read.map(\.partition)) == Set(0..<partitions), "every partition holds records")
    }

    /// Keys of every length murmur2 treats differently (a tail of 0 to 3 bytes after whole
    /// 4-byte blocks), multi-byte UTF-8, raw bytes, and a run of ordinary keys.
    static let murmur2Keys: [[UInt8]] =
        [[], [0, 255, 128, 127, 1]] + ["a", "ab", "abc", "abcd", "abcde", "é", "キー", "order 😀", "customer-42"].map { Array($0.utf8) }
        + (0..<40).map { Array("key-\($0)".utf8) }

    @Test(
        "With the murmur2 setting, kafka-python reads each key on the partition murmur2Partition predicts",
        arguments: [3, 7] as [Int32])
    func murmur2PlacementMatchesThePrediction(partitionCount: Int32) async throws {
        let topic = BrokerEnvironment.uniqueTopic("murmur2")
        try await createTopic(topic, partitions: partitionCount)
        var configuration = ProducerConfiguration(bootstrapServers: [broker.plain])
        configuration.linger = .milliseconds(1)
        configuration.partitioner = .murmur2
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        let keys = Self.murmur2Keys
        let results = await producer.send(contentsOf: keys.map { ProducerRecord(topic: topic, key: $0, value: Array("v".utf8)) })
        await producer.shutdown()
        let predicted = try keys.map { try Partitioner.murmur2Partition(forKey: $0, partitionCount: partitionCount) }
        for (index, result) in results.enumerated() {
            #expect(try result.get().partition == predicted[index], "delivery report for key \(keys[index])")
        }
        #expect(Set(predicted).count == Int(partitionCount), "the keys cover every partition, so a wrong hash shows")

        let read = try await readBack(topic: topic, count: keys.count)
        #expect(read.count == keys.count)
        for (index, key) in keys.enumerated() {
            let partitions = read.filter { $0.key == key }.map(\.partition)
            #expect(partitions == [predicted[index]], "key \(key) read back")
        }
    }

    // MARK: - The broker scripts

    private var scripts: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/broker")
    }

    private func createTopic(_ topic: String, partitions: Int32) async throws {
        let outcome = try await ChildProcess.run(
            scripts.appendingPathComponent("create-topic").path, [broker.plain, topic, "\(partitions)"])
        try #require(outcome.status == 0, "create-topic exited with \(outcome.status): \(String(decoding: outcome.errors, as: UTF8.self))")
    }

    /// Every record of the topic as kafka-python reads it: its key's bytes and its partition.
    private func readBack(topic: String, count: Int) async throws -> [(key: [UInt8], partition: Int32)] {
        let outcome = try await ChildProcess.run(scripts.appendingPathComponent("read-back").path, [broker.plain, topic, "\(count)"])
        try #require(outcome.status == 0, "read-back exited with \(outcome.status): \(String(decoding: outcome.errors, as: UTF8.self))")
        return try JSONDecoder().decode([ReadRecord].self, from: outcome.output).map { record in
            let key = try #require(record.key.flatMap(Self.bytes(fromHex:)), "a record read back without a readable key: \(record)")
            return (key, record.partition)
        }
    }

    private static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
