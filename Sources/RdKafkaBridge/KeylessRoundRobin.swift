internal import CRdKafka
import Synchronization

extension PartitionerCallback {
    /// How many records without a key go to one partition before the next partition's turn.
    ///
    /// A partition per record spreads a burst as evenly as it can be, but the producer then
    /// appends to a different partition's queue for nearly every record, and in the benchmark
    /// (2 cores, 6 partitions) that cost 1.3 to 2 times the CPU per record of sticking to one
    /// partition. Of turns of 1, 100, 1,000 and 10,000 records, 1,000 was the shortest whose
    /// cost did not show. Evenness is to within one turn per partition.
    package static let keylessTurn: UInt64 = 1_000

    /// librdkafka's partitioner `name` for records with a key, and the partitions in turn for
    /// records without one, ``keylessTurn`` records each; `nil` for a partitioner that hashes
    /// records without a key too (`consistent`, `murmur2`, `fnv1a`), or for `random`.
    ///
    /// Keyed records get exactly what `name` gives them: the callback calls librdkafka's own
    /// function. "Without a key" means what it means to `name`: no key at all, or for
    /// `consistent_random` also an empty key. The turns start at a random partition, so that
    /// producers started together do not all begin on the same one; a turn whose partition
    /// librdkafka has not handed to its leader passes to the next partition.
    package static func keyed(by name: String) -> PartitionerCallback? {
        let keyed:
            @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int, Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32
        let emptyKeyIsKeyless: Bool
        switch name {
        case "consistent_random":
            keyed = rd_kafka_msg_partitioner_consistent_random
            emptyKeyIsKeyless = true
        case "murmur2_random":
            keyed = rd_kafka_msg_partitioner_murmur2_random
            emptyKeyIsKeyless = false
        case "fnv1a_random":
            keyed = rd_kafka_msg_partitioner_fnv1a_random
            emptyKeyIsKeyless = false
        default:
            return nil
        }
        let turns = KeylessTurns()
        return PartitionerCallback { key, partitionCount, isAvailable in
            // The hashing functions read only the key: the topic they are not given is read
            // only for a record without a key, which never reaches them here.
            if let key, let bytes = key.baseAddress, !(key.isEmpty && emptyKeyIsKeyless) {
                return keyed(nil, bytes, key.count, partitionCount, nil, nil)
            }
            return turns.next(among: partitionCount, isAvailable: isAvailable)
        }
    }
}

/// Counts records without a key across the producer's topics, to give each partition its turn.
private final class KeylessTurns: Sendable {
    /// Records counted so far, from a random whole turn: the first record starts a turn, so it
    /// is checked like any turn's first, and the first partition is a random one.
    private let count = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 32)) * PartitionerCallback.keylessTurn)

    /// The partition of the next record without a key, among `partitionCount`.
    ///
    /// Only a turn's first record asks whether its partition can take records now: asking costs
    /// two atomic operations on the partition's reference count, which its broker thread shares,
    /// and for every record that alone was a fifth of the CPU per record. When it cannot, the
    /// count moves on by a whole turn, so that the record and the rest of that turn go to the
    /// next partition that can. A partition that loses its leader in the middle of a turn keeps
    /// the rest of the turn, and those records wait for the leader as keyed ones do.
    func next(among partitionCount: Int32, isAvailable: (Int32) -> Bool) -> Int32 {
        let turnLength = PartitionerCallback.keylessTurn
        var record = count.wrappingAdd(1, ordering: .relaxed).oldValue
        var partition = Self.partition(of: record, among: partitionCount)
        guard record % turnLength == 0 else { return partition }
        for _ in 1..<partitionCount where !isAvailable(partition) {
            count.wrappingAdd(turnLength, ordering: .relaxed)
            record &+= turnLength
            partition = Self.partition(of: record, among: partitionCount)
        }
        return partition
    }

    private static func partition(of record: UInt64, among partitionCount: Int32) -> Int32 {
        Int32(truncatingIfNeeded: (record / PartitionerCallback.keylessTurn) % UInt64(partitionCount))
    }
}
