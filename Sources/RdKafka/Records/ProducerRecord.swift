import struct Foundation.Date

/// One record to write to a Kafka topic.
///
/// Key and value are bytes. `nil` and empty differ: a `nil` value is a tombstone (compacted
/// topics delete the key), an empty value is a record with no bytes. The producer hands the bytes
/// to librdkafka, which copies them once (`RD_KAFKA_MSG_F_COPY`); the record itself is not copied.
///
/// ```swift
/// let record = ProducerRecord(topic: "orders", key: "customer-42", value: #"{"total": 12}"#)
/// ```
public struct ProducerRecord: Sendable, Hashable {
    /// The topic to write to. Must not be empty.
    public var topic: String
    /// The key, used by the partitioner to choose a partition when ``partition`` is `nil`.
    public var key: [UInt8]?
    /// The value; `nil` writes a tombstone.
    public var value: [UInt8]?
    /// Headers in order; names may repeat and values may be `nil`.
    public var headers: [ProducerRecord.Header]
    /// An explicit partition, or `nil` to let the configured partitioner choose.
    public var partition: Int32?
    /// The record's timestamp (CreateTime), or `nil` for the time librdkafka accepts the record.
    ///
    /// Kafka keeps whole milliseconds since 1970-01-01T00:00:00Z, so the date is rounded to the
    /// nearest millisecond. It must come out at least 1 ms after 1970 and within `Int64`
    /// milliseconds (about 292 million years either way): librdkafka reads 0 as "now" and Kafka
    /// reads a negative timestamp as "none", so neither could be honoured. A date that rounds to
    /// 1970-01-01T00:00:00Z or earlier, one too far off, or one built from NaN or infinity is
    /// refused when the record is sent or enqueued, with ``KafkaError/Code/invalidRecord``
    /// naming the timestamp; nothing is enqueued.
    public var timestamp: Date?

    /// Creates a record from bytes.
    public init(
        topic: String,
        key: [UInt8]? = nil,
        value: [UInt8]?,
        headers: [ProducerRecord.Header] = [],
        partition: Int32? = nil,
        timestamp: Date? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
        self.timestamp = timestamp
    }

    /// Creates a record whose key and value are UTF-8 text.
    public init(
        topic: String,
        key: String? = nil,
        value: String,
        headers: [ProducerRecord.Header] = [],
        partition: Int32? = nil,
        timestamp: Date? = nil
    ) {
        self.init(
            topic: topic,
            key: key.map { Array($0.utf8) },
            value: Array(value.utf8),
            headers: headers,
            partition: partition,
            timestamp: timestamp
        )
    }
}

extension ProducerRecord {
    /// A record header: a name and optional bytes. Kafka keeps headers in order and allows repeats.
    public struct Header: Sendable, Hashable {
        /// The header's name.
        public var name: String
        /// The header's value; `nil` is a header with no value, distinct from an empty one.
        public var value: [UInt8]?

        /// Creates a header from bytes.
        public init(name: String, value: [UInt8]?) {
            self.name = name
            self.value = value
        }

        /// Creates a header whose value is UTF-8 text.
        public init(name: String, value: String) {
            self.init(name: name, value: Array(value.utf8))
        }
    }
}

extension ProducerRecord {
    /// The timestamp as librdkafka takes it: milliseconds since 1970, 0 for "now" (no
    /// timestamp given).
    /// - Throws: ``KafkaError/Code/invalidRecord`` for a timestamp Kafka cannot carry as given
    ///   (see ``timestamp``).
    func timestampMilliseconds() throws(KafkaError) -> Int64 {
        guard let timestamp else { return 0 }
        guard let milliseconds = timestamp.millisecondsSince1970, milliseconds > 0 else {
            throw KafkaError(
                code: .invalidRecord,
                message:
                    "the timestamp \(timestamp.timeIntervalSince1970) s since 1970 cannot be sent: Kafka timestamps are whole milliseconds from 1 to \(Int64.max) after 1970-01-01T00:00:00Z (librdkafka reads 0 as now, Kafka reads negative as none)",
                topic: topic,
                partition: partition
            )
        }
        return milliseconds
    }
}
