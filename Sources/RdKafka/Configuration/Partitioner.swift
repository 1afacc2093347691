/// How a record without an explicit partition is placed, as librdkafka's `partitioner` names it.
///
/// Records with the same key land on the same partition under every hashing partitioner, but
/// different partitioners send the same key to different partitions. Java clients (and Kafka
/// Streams, Connect, ksqlDB) use murmur2: a Swift producer that must put a key where a Java
/// producer puts it, so that one consumer sees all of a key's records in order, needs
/// ``murmur2Random``. A partitioner of your own, written in Swift, is ``custom(_:)``.
public struct Partitioner: RawRepresentable, Hashable, Sendable {
    /// The value of `partitioner`; `"custom"` for a partitioner made with ``custom(_:)``.
    public var rawValue: String

    /// The Swift closure of a ``custom(_:)`` partitioner; `nil` for librdkafka's own.
    let custom: CustomPartitioner?

    /// Creates a partitioner from librdkafka's name for it.
    public init(rawValue: String) {
        self.rawValue = rawValue
        custom = nil
    }

    init(custom: CustomPartitioner) {
        rawValue = "custom"
        self.custom = custom
    }

    /// Two partitioners are equal when librdkafka's names match and, for custom ones, they
    /// were made by the same call to ``custom(_:)``.
    public static func == (lhs: Partitioner, rhs: Partitioner) -> Bool {
        lhs.rawValue == rhs.rawValue && lhs.custom.map(ObjectIdentifier.init) == rhs.custom.map(ObjectIdentifier.init)
    }

    /// Hashes librdkafka's name and, for a custom partitioner, its identity.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawValue)
        hasher.combine(custom.map(ObjectIdentifier.init))
    }

    /// The value for librdkafka's `partitioner` key: `nil` for a custom partitioner, which is
    /// installed on each topic's configuration instead.
    var librdkafkaName: String? {
        custom == nil ? rawValue : nil
    }

    /// Any available partition, at random, key or not.
    public static let random = Partitioner(rawValue: "random")
    /// CRC32 of the key (an empty or absent key maps to one partition).
    public static let consistent = Partitioner(rawValue: "consistent")
    /// CRC32 of the key; records without a key spread at random. librdkafka's default.
    public static let consistentRandom = Partitioner(rawValue: "consistent_random")
    /// Java's murmur2 of the key (an absent key maps to one partition).
    public static let murmur2 = Partitioner(rawValue: "murmur2")
    /// Java's murmur2 of the key; records without a key spread at random. What Java clients do.
    public static let murmur2Random = Partitioner(rawValue: "murmur2_random")
    /// FNV-1a of the key (an absent key maps to one partition).
    public static let fnv1a = Partitioner(rawValue: "fnv1a")
    /// FNV-1a of the key; records without a key spread at random.
    public static let fnv1aRandom = Partitioner(rawValue: "fnv1a_random")
}
