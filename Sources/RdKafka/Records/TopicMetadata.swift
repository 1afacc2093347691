/// A topic's partitions and their leaders, as a broker described them: what
/// ``KafkaProducer/metadata(forTopic:timeout:)`` returns.
public struct TopicMetadata: Sendable, Hashable {
    /// The topic's name.
    public var topic: String
    /// Every partition of the topic, by increasing ``Partition/id``.
    public var partitions: [Partition]

    /// How many partitions the topic has: what a partitioner divides keys among.
    public var partitionCount: Int32 { Int32(partitions.count) }

    /// Creates a description of a topic (for tests of code that reads one).
    public init(topic: String, partitions: [Partition]) {
        self.topic = topic
        self.partitions = partitions
    }

    /// One partition of a topic.
    public struct Partition: Sendable, Hashable {
        /// The partition's number, from 0.
        public var id: Int32
        /// The broker id of the partition's leader, which takes its writes; `nil` while it has
        /// none (records for it wait until one is elected).
        public var leader: Int32?
        /// The broker ids holding a copy, the leader included.
        public var replicas: [Int32]
        /// The replicas that are caught up with the leader.
        public var inSyncReplicas: [Int32]

        /// Creates a description of a partition.
        public init(id: Int32, leader: Int32?, replicas: [Int32], inSyncReplicas: [Int32]) {
            self.id = id
            self.leader = leader
            self.replicas = replicas
            self.inSyncReplicas = inSyncReplicas
        }
    }
}
