internal import RdKafkaBridge

/// librdkafka's built-in mock Kafka cluster, in this process, for tests and demos.
///
/// The brokers speak the real Kafka protocol on 127.0.0.1 ports, so a ``KafkaProducer`` (or any
/// other Kafka client in the process) connects to ``bootstrapServers`` as to a real cluster.
/// Faults can be injected: brokers going down and up, slow round trips, request errors.
///
/// ```swift
/// let cluster = try MockCluster(brokers: 3)
/// try cluster.createTopic("orders", partitions: 6)
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: [cluster.bootstrapServers]))
/// ```
///
/// The cluster lives until this object is released. Broker ids run from 1 to the broker count.
public final class MockCluster: Sendable {
    private let handle: MockClusterHandle

    /// The brokers' addresses, comma-separated, for ``ProducerConfiguration/bootstrapServers``.
    public var bootstrapServers: String { handle.bootstrapServers }

    /// The number of brokers.
    public let brokerCount: Int

    /// Starts a cluster of `brokers` brokers.
    /// - Throws: ``KafkaError`` if librdkafka cannot start it.
    public init(brokers: Int = 3) throws {
        handle = try bridged { () throws(NativeError) in try MockClusterHandle(brokers: brokers) }
        brokerCount = brokers
    }

    /// Creates a topic. Topics that are not created are auto-created on first use.
    /// - Parameters:
    ///   - name: The topic's name.
    ///   - partitions: How many partitions it has.
    ///   - replicationFactor: How many brokers hold each partition (at most ``brokerCount``).
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try bridged { () throws(NativeError) in try handle.createTopic(name, partitions: partitions, replicationFactor: replicationFactor) }
    }

    /// Takes a broker down: its connections close and it accepts none until ``setBrokerUp(_:)``.
    ///
    /// librdkafka closes the broker's listening socket and binds its port again at once, and
    /// aborts the process if that bind fails. A child process being started at that moment
    /// holds a copy of the socket (from fork until exec), which keeps the port taken: in a
    /// test process that starts other programs, do not start one while a broker goes down.
    public func setBrokerDown(_ broker: Int32) throws {
        try bridged { () throws(NativeError) in try handle.setBroker(broker, up: false) }
    }

    /// Brings a broker back up.
    public func setBrokerUp(_ broker: Int32) throws {
        try bridged { () throws(NativeError) in try handle.setBroker(broker, up: true) }
    }

    /// Delays every response of `broker` by `roundTripTime` (whole milliseconds).
    public func setRoundTripTime(_ roundTripTime: Duration, broker: Int32) throws {
        try bridged { () throws(NativeError) in
            try handle.setRoundTripTime(milliseconds: roundTripTime.librdkafkaTimeout, broker: broker)
        }
    }

    /// Makes `broker` the leader of one partition.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws {
        try bridged { () throws(NativeError) in try handle.setLeader(topic: topic, partition: partition, broker: broker) }
    }

    /// Makes `broker` the transaction coordinator for `transactionalID`, so that a test can take
    /// a partition's leader down without taking the coordinator with it.
    public func setTransactionCoordinator(for transactionalID: String, broker: Int32) throws {
        try bridged { () throws(NativeError) in try handle.setCoordinator(keyType: "transaction", key: transactionalID, broker: broker) }
    }

    /// Makes every metadata answer about `topic` carry `error`, until set to `nil`: with
    /// ``KafkaError/Code/unknownTopicOrPartition``, the topic looks as if it did not exist (this
    /// mock creates unknown topics on any metadata request, whatever the client asks). Creates
    /// the topic if it does not exist yet.
    public func setTopicError(_ error: KafkaError.Code?, topic: String) {
        handle.setTopicError(error?.rawValue ?? 0, topic: topic)
    }

    /// Makes the next requests of one kind fail, one error each, in order.
    /// - Parameters:
    ///   - errors: The errors to answer with; ``KafkaError/Code/transport`` disconnects instead.
    ///   - request: Which request kind (default: Produce).
    public func pushRequestErrors(_ errors: [KafkaError.Code], for request: RequestKind = .produce) {
        handle.pushRequestErrors(apiKey: request.apiKey, codes: errors.map(\.rawValue))
    }

    /// A Kafka protocol request kind, by its API key.
    public struct RequestKind: Hashable, Sendable {
        /// The protocol's API key number.
        public var apiKey: Int16
        /// Creates a request kind from its API key number.
        public init(apiKey: Int16) { self.apiKey = apiKey }
        /// Produce (API key 0).
        public static let produce = RequestKind(apiKey: 0)
        /// Metadata (API key 3).
        public static let metadata = RequestKind(apiKey: 3)
        /// InitProducerId (API key 22), used by idempotent and transactional producers.
        public static let initProducerID = RequestKind(apiKey: 22)
        /// AddPartitionsToTxn (API key 24): a transactional producer adds a partition to its transaction.
        public static let addPartitionsToTransaction = RequestKind(apiKey: 24)
        /// EndTxn (API key 26): a transactional producer commits or aborts.
        public static let endTransaction = RequestKind(apiKey: 26)
    }
}
