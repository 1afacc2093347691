import AllocationCounter
import Synchronization
import Testing

@testable import RdKafka

@Suite("A partitioner written in Swift", .timeLimit(.minutes(2)))
struct CustomPartitionerTests {
    /// Places a record by its key's first byte (a decimal digit names the partition).
    static let byFirstDigit = Partitioner.custom { key, partitionCount, _ in
        guard let key, let first = key.first else { return 0 }
        return Int32(first) - 0x30
    }

    @Test("Each keyed record lands where the closure says, as an independent reader sees it")
    func recordsLandWhereTheClosureSays() async throws {
        let fixture = try ClusterFixture(partitions: 4)
        let producer = try fixture.producer { $0.partitioner = Self.byFirstDigit }
        let keys = ["3a", "0b", "2c", "1d", "3e", "0f"]
        let results = await producer.send(contentsOf: keys.map { fixture.record("v-\($0)", key: $0) })
        for (key, result) in zip(keys, results) {
            #expect(try result.get().partition == Int32(String(key.first!))!, "key \(key)")
        }
        let readBack = try await fixture.readBack(expecting: keys.count)
        for record in readBack {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            #expect(record.partition == Int32(String(key.first!))!, "key \(key) read back")
        }
        await producer.shutdown()
    }

    @Test(
        "A partition out of range, or a thrown error, fails that record with unknownPartition and no other",
        arguments: ["9", "-", "!"])
    func outOfRangeFailsTheRecord(badKey: String) async throws {
        struct Refused: Error {}
        let fixture = try ClusterFixture(partitions: 3)
        let producer = try fixture.producer {
            $0.partitioner = .custom { key, _, _ in
                guard let key, let first = key.first else { return 0 }
                switch first {
                case UInt8(ascii: "!"): throw Refused()
                case UInt8(ascii: "-"): return -1  // librdkafka's "unassigned": must still fail, not wait
                default: return Int32(first) - 0x30
                }
            }
        }
        // The first send finds the topic's partitions unknown: librdkafka partitions it later, on
        // its own thread, and the failure arrives as the delivery outcome.
        await #expect(throws: KafkaError.self) { _ = try await producer.send(fixture.record("first", key: badKey)) }
        do {
            _ = try await producer.send(fixture.record("first", key: badKey))
            Issue.record("a record the partitioner could not place was sent")
        } catch let error as KafkaError {
            // Now the partitions are known: the send itself is refused, naming the topic.
            #expect(error.code == .unknownPartition)
            #expect(error.topic == fixture.topic)
            #expect(error.message.contains("partitioner"))
        }
        #expect(try await producer.send(fixture.record("good", key: "2")).partition == 2)
        await producer.shutdown()
    }

    @Test("The first send to an unknown topic fails with unknownPartition as its outcome")
    func outOfRangeBeforeMetadata() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        let producer = try fixture.producer { $0.partitioner = Self.byFirstDigit }
        do {
            _ = try await producer.send(fixture.record("v", key: "7"))
            Issue.record("a record for partition 7 of 3 was sent")
        } catch let error as KafkaError {
            #expect(error.code == .unknownPartition)
        }
        await producer.shutdown()
    }

    @Test("isAvailable says which partitions have a leader, and false for partitions that do not exist")
    func isAvailableReflectsLeaders() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        try fixture.cluster.setPartitionLeader(topic: fixture.topic, partition: 1, broker: -1)
        let seen = LockedValue<[Bool]?>(nil)
        let producer = try fixture.producer {
            $0.partitioner = .custom { _, partitionCount, isAvailable in
                seen.withLock { $0 = (-1...partitionCount).map(isAvailable) }
                return isAvailable(0) ? 0 : 2
            }
        }
        // librdkafka hands a partition to its leader's thread shortly after the metadata arrives,
        // and calls it available only then: a record sent to each leader makes sure it happened.
        for partition: Int32 in [0, 2] { _ = try await producer.send(fixture.record("warm-up", partition: partition)) }
        #expect(try await producer.send(fixture.record("v", key: "k")).partition == 0)
        #expect(seen.withLock { $0 } == [false, true, false, true, false])
        await producer.shutdown()
    }

    @Test("An empty key arrives empty; keyless records reach the closure unless sticky partitioning is on")
    func emptyAndAbsentKeys() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        let keys = LockedValue<[[UInt8]?]>([])
        let partitioner = Partitioner.custom { key, _, _ in
            keys.withLock { $0.append(key.map(Array.init)) }
            return 1
        }
        let byDefault = try fixture.producer { $0.partitioner = partitioner }
        _ = try await byDefault.send(ProducerRecord(topic: fixture.topic, key: [UInt8](), value: [1]))
        #expect(try await byDefault.send(ProducerRecord(topic: fixture.topic, value: [1])).partition == 1)
        await byDefault.shutdown()
        #expect(keys.withLock { $0 } == [[], nil])

        keys.withLock { $0.removeAll() }
        let sticky = try fixture.producer {
            $0.partitioner = partitioner
            $0.stickyPartitioningLinger = .seconds(60)
        }
        _ = try await sticky.send(ProducerRecord(topic: fixture.topic, key: [UInt8](), value: [1]))
        _ = try await sticky.send(ProducerRecord(topic: fixture.topic, value: [1]))
        await sticky.shutdown()
        #expect(keys.withLock { $0 } == [[]], "the keyless record went to the sticky partition, not the closure")
    }

    @Test("Partitioners compare equal only to themselves")
    func equality() {
        let one = Partitioner.custom { _, _, _ in 0 }
        let other = Partitioner.custom { _, _, _ in 0 }
        #expect(one == one)
        #expect(one != other)
        #expect(one != Partitioner(rawValue: "custom"))
        #expect(Set([one, one, other]).count == 2)
    }

    @Test(
        "Placing a record with a Swift partitioner allocates nothing on the sending thread",
        .enabled(if: allocation_counter_available() == 1, "the counter is left out under sanitizers, which own malloc"))
    func noAllocationPerCall() async throws {
        let fixture = try ClusterFixture(partitions: 3)
        let calls = Atomic<Int>(0)
        let producer = try fixture.producer {
            $0.partitioner = .custom { key, partitionCount, isAvailable in
                calls.add(1, ordering: .relaxed)
                guard let key, isAvailable(0) else { return 0 }
                return try Partitioner.murmur2Partition(forKey: key, partitionCount: partitionCount)
            }
        }
        let record = ProducerRecord(topic: fixture.topic, key: Array("key".utf8), value: [UInt8](repeating: 1, count: 100))
        // Awaited, so the topic's partitions are known and the closure runs on the sending thread.
        _ = try await producer.send(record)
        let before = calls.load(ordering: .relaxed)
        // Reports the sends would serve on this thread are held back: only the send path counts.
        let allocations = producer.holdingReports {
            allocation_counter_start()
            for index in 0..<10_000 { try? producer.tryEnqueue(record, correlationID: UInt64(index)) }
            return allocation_counter_stop()
        }
        #expect(calls.load(ordering: .relaxed) - before >= 10_000)
        // The same bound as without a partitioner (AllocationTests): librdkafka's copy only.
        #expect(allocations <= 10_000 + 10, "\(allocations) allocations for 10,000 records")
        await producer.shutdown()
    }
}
