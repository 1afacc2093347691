internal import RdKafkaBridge

/// A consumer group's position in one partition, to commit with a transaction: the offset of
/// the next record the group will read there (the last one processed, plus one).
public struct ConsumerOffset: Sendable, Hashable {
    /// The consumed topic.
    public var topic: String
    /// The consumed partition.
    public var partition: Int32
    /// The offset of the next record to read: the last processed record's offset plus one.
    public var offset: Int64

    /// Creates a position to commit.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}

extension KafkaProducer {
    /// Commits a consumer group's offsets as part of the current transaction, so that the
    /// records produced and the input consumed are committed together, or not at all
    /// (consume-transform-produce, exactly once).
    ///
    /// ```swift
    /// try await producer.withTransaction { (transaction: borrowing Transaction) in
    ///     _ = try await transaction.send(ProducerRecord(topic: "totals", key: "user-1", value: "42"))
    ///     try await transaction.sendOffsets([ConsumerOffset(topic: "events", partition: 0, offset: 1_001)], groupID: "totaller")
    /// }
    /// ```
    ///
    /// Call it between ``beginTransaction()`` and ``commitTransaction(timeout:)`` (or inside
    /// ``withTransaction(timeout:commitAttempts:isolation:_:)``). The offsets become the
    /// group's committed position when the transaction commits, and are discarded if it aborts.
    /// The group's consumer should read with `isolation.level=read_committed`.
    ///
    /// - Parameters:
    ///   - offsets: For each consumed partition, the offset of the next record to read.
    ///   - groupID: The consumer group whose position they are.
    ///   - timeout: How long to wait for the transaction coordinator and the group coordinator.
    /// - Throws: ``KafkaError`` flagged as the transaction calls' errors are:
    ///   ``KafkaError/isRetriable`` (call it again), ``KafkaError/transactionRequiresAbort``
    ///   (abort the transaction) or ``KafkaError/isFatal`` (the producer cannot go on);
    ///   ``KafkaError/Code/state`` outside a transaction; ``KafkaError/Code/notConfigured`` without
    ///   ``ProducerConfiguration/transactionalID``; ``KafkaError/Code/invalidArgument`` for an empty
    ///   group id, a negative offset or partition, or an illegal topic name;
    ///   ``KafkaError/Code/shutdown`` after shutdown.
    public func sendOffsets(_ offsets: [ConsumerOffset], groupID: String, timeout: Duration = .seconds(60)) async throws {
        if groupID.isEmpty { throw KafkaError(code: .invalidArgument, message: "sendOffsets: the group id is empty") }
        for offset in offsets {
            let problem =
                ProducerClient.problem(withTopicName: offset.topic)
                ?? (offset.partition < 0 ? "partition \(offset.partition) is negative" : nil)
                ?? (offset.offset < 0 ? "offset \(offset.offset) is negative; give the next offset to read" : nil)
            if let problem {
                throw KafkaError(
                    code: .invalidArgument, message: "sendOffsets: \(problem)", topic: offset.topic, partition: offset.partition)
            }
        }
        let entries = offsets.map { (topic: $0.topic, partition: $0.partition, offset: $0.offset) }
        let milliseconds = timeout.librdkafkaTimeout
        try await core.runTransactionCall { client in
            client.sendOffsetsToTransaction(entries, groupID: groupID, milliseconds: milliseconds)
        }
    }
}
