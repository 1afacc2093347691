internal import RdKafkaBridge

extension Partitioner {
    /// A partitioner written in Swift: librdkafka calls `choosePartition` to place each record
    /// that has no explicit ``ProducerRecord/partition``.
    ///
    /// ```swift
    /// configuration.partitioner = .custom { key, partitionCount, isAvailable in
    ///     // Keys starting with "vip-" get partition 0 to themselves; the rest spread by murmur2,
    ///     // and records without a key at random.
    ///     guard partitionCount > 1 else { return 0 }
    ///     guard let key else { return Int32.random(in: 1..<partitionCount) }
    ///     if key.starts(with: "vip-".utf8) { return 0 }
    ///     return try 1 + Partitioner.murmur2Partition(forKey: key, partitionCount: partitionCount - 1)
    /// }
    /// ```
    ///
    /// The closure runs on librdkafka's threads (the sending thread once the topic's metadata is
    /// known, librdkafka's own before that), possibly on several at once and more than once for
    /// the same record. It must be quick and must not block or call the producer. librdkafka
    /// holds the topic's lock while it runs.
    ///
    /// Returning a partition outside `0..<partitionCount`, or throwing, fails that record with
    /// ``KafkaError/Code/unknownPartition``: at once from the send if librdkafka already knew the
    /// topic's partitions, otherwise as its delivery outcome. Other records are not affected.
    ///
    /// **Records without a key.** The closure places them too, receiving `nil` for their key,
    /// as long as ``ProducerConfiguration/stickyPartitioningLinger`` is `.zero` (the default):
    /// spread them, say with `Int32.random(in: 0..<partitionCount)`, or they all land where the
    /// closure puts them. With a positive duration, or `nil` (librdkafka's twice `linger.ms`),
    /// librdkafka places keyless records itself, one partition at a time, without calling it.
    ///
    /// - Parameter choosePartition: Chooses the partition for one record, given
    ///   - `key`: the record's key, lent for the duration of the call (`nil` when the record
    ///     has none, empty when its key is empty);
    ///   - `partitionCount`: how many partitions the topic has (at least 1);
    ///   - `isAvailable`: whether librdkafka has handed a partition to its leader broker, so
    ///     that records placed there can be sent now (`false` for a partition without a leader
    ///     or out of range). Shortly after the topic's metadata first arrives it may be `false`
    ///     for every partition; a partitioner that prefers available partitions needs a fallback.
    /// - Returns: A partitioner for ``ProducerConfiguration/partitioner`` (every topic) or a
    ///   single topic's settings.
    public static func custom(
        _ choosePartition: @escaping @Sendable (_ key: Key?, _ partitionCount: Int32, _ isAvailable: (Int32) -> Bool) throws -> Int32
    ) -> Partitioner {
        Partitioner(custom: CustomPartitioner(choosePartition))
    }

    /// The key of a record being placed by a ``Partitioner/custom(_:)`` partitioner: its bytes,
    /// lent by librdkafka for the duration of one call.
    ///
    /// Read it as a collection of bytes (`key.starts(with: "vip-".utf8)`,
    /// `String(decoding: key, as: UTF8.self)`); copy it with `Array(key)` to keep it. It must not
    /// be kept beyond the call: the bytes belong to librdkafka.
    public struct Key: RandomAccessCollection {
        private let bytes: UnsafeRawBufferPointer

        init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        /// The position of the first byte: always 0.
        public var startIndex: Int { 0 }

        /// One past the position of the last byte: the key's length.
        public var endIndex: Int { bytes.count }

        /// The byte at `position`, which must be in `0..<count`.
        public subscript(position: Int) -> UInt8 {
            precondition(position >= 0 && position < bytes.count, "Partitioner.Key index \(position) out of range 0..<\(bytes.count)")
            return bytes[position]
        }

        /// Lends the key's bytes to `body`; they must not be used after it returns.
        public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
            try body(bytes)
        }

        /// Lends the key's bytes as contiguous storage, so that generic algorithms read them
        /// without copying.
        public func withContiguousStorageIfAvailable<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
            try bytes.withMemoryRebound(to: UInt8.self) { try body($0) }
        }
    }
}

/// The closure of a ``Partitioner/custom(_:)`` partitioner; a class so that the partitioners
/// made by one call compare equal.
final class CustomPartitioner: Sendable {
    let choosePartition: @Sendable (Partitioner.Key?, Int32, (Int32) -> Bool) throws -> Int32

    init(_ choosePartition: @escaping @Sendable (Partitioner.Key?, Int32, (Int32) -> Bool) throws -> Int32) {
        self.choosePartition = choosePartition
    }

    /// The callback librdkafka's topics call, over raw bytes: a thrown error becomes -1, a
    /// partition no topic has, which fails the record.
    func callback() -> PartitionerCallback {
        PartitionerCallback { [choosePartition] key, partitionCount, isAvailable in
            (try? choosePartition(key.map(Partitioner.Key.init), partitionCount, isAvailable)) ?? -1
        }
    }
}
