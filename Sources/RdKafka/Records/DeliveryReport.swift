import struct Foundation.Date

/// The broker's acknowledgement of one record.
public struct DeliveryReport: Sendable, Hashable {
    /// The topic the record was written to.
    public var topic: String
    /// The partition the record was written to.
    public var partition: Int32
    /// The record's offset in the partition; `nil` under `acks=0`, where the broker does not answer.
    public var offset: Int64?
    /// The record's timestamp as stored: the producer's CreateTime, or the broker's
    /// LogAppendTime when the topic is configured so (see ``timestampType``); `nil` when unknown.
    public var timestamp: Date?
    /// Whose clock ``timestamp`` is from; `nil` when unknown.
    public var timestampType: TimestampType?

    /// Creates a report.
    public init(topic: String, partition: Int32, offset: Int64?, timestamp: Date?, timestampType: TimestampType?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
    }

    /// Whose clock a record's timestamp is from.
    public enum TimestampType: Sendable, Hashable {
        /// The producer's: the record's own timestamp, or the time it was enqueued.
        case createTime
        /// The broker's, when it appended the record (topics with
        /// `message.timestamp.type=LogAppendTime`).
        case logAppendTime
    }
}

/// The outcome of a record enqueued with ``KafkaProducer/enqueue(_:correlationID:)``, as
/// delivered by ``KafkaProducer/deliveryReports``.
public struct DeliveryOutcome: Sendable, Hashable {
    /// The identifier the caller gave the record when enqueueing it.
    public var correlationID: UInt64
    /// The acknowledgement, or why the record was not delivered.
    public var result: Result<DeliveryReport, KafkaError>

    /// Creates an outcome.
    public init(correlationID: UInt64, result: Result<DeliveryReport, KafkaError>) {
        self.correlationID = correlationID
        self.result = result
    }
}
