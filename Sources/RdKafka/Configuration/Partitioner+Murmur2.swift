extension Partitioner {
    /// The partition Java's default partitioner gives a record with this key, among
    /// `partitionCount` partitions: where Java clients, Kafka Streams, Connect and ksqlDB put
    /// it, and where ``murmur2`` and ``murmur2Random`` put it.
    ///
    /// Use it to predict placement (which partition holds a customer's records) or inside a
    /// ``custom(_:)`` partitioner. It is computed in Swift; no producer is needed.
    ///
    /// ```swift
    /// let partition = try Partitioner.murmur2Partition(forKey: "customer-42".utf8, partitionCount: 6)
    /// ```
    ///
    /// - Parameters:
    ///   - key: The key's bytes, exactly as sent (a string key is its UTF-8).
    ///   - partitionCount: How many partitions the topic has.
    /// - Returns: A partition in `0..<partitionCount`: murmur2 of the key with Java's seed, its
    ///   sign bit cleared, modulo the count.
    /// - Throws: ``KafkaError`` with ``KafkaError/Code/invalidArgument`` if `partitionCount` is
    ///   below 1.
    @inlinable
    public static func murmur2Partition(forKey key: some Sequence<UInt8>, partitionCount: Int32) throws(KafkaError) -> Int32 {
        guard partitionCount >= 1 else { throw murmur2CountError(partitionCount) }
        let hash =
            key.withContiguousStorageIfAvailable { javaMurmur2(UnsafeRawBufferPointer($0)) }
            ?? Array(key).withUnsafeBytes { javaMurmur2($0) }
        return Int32(bitPattern: hash & 0x7fff_ffff) % partitionCount
    }

    @usableFromInline
    static func murmur2CountError(_ partitionCount: Int32) -> KafkaError {
        KafkaError(code: .invalidArgument, message: "partitionCount must be at least 1, but it is \(partitionCount)")
    }

    /// Kafka's murmur2 (the 32-bit MurmurHash2 with seed 0x9747b28c that Java's `Utils.murmur2`
    /// computes), over the bytes in order, four at a time read little-endian.
    @usableFromInline
    static func javaMurmur2(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let multiplier: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var hash = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var offset = 0
        while offset + 4 <= length {
            var word =
                UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
            word &*= multiplier
            word ^= word >> 24
            word &*= multiplier
            hash &*= multiplier
            hash ^= word
            offset += 4
        }
        let tail = length - offset
        if tail > 0 {
            if tail == 3 { hash ^= UInt32(bytes[offset + 2]) << 16 }
            if tail >= 2 { hash ^= UInt32(bytes[offset + 1]) << 8 }
            hash ^= UInt32(bytes[offset])
            hash &*= multiplier
        }
        hash ^= hash >> 13
        hash &*= multiplier
        hash ^= hash >> 15
        return hash
    }
}
