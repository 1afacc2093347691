/// Settings for one topic that differ from the producer's: set them in
/// ``ProducerConfiguration/topics`` under the topic's name.
///
/// Each property overrides the producer-wide setting of the same name for records sent to that
/// topic only; one left `nil` keeps the producer's. They are applied through the topic's own
/// librdkafka configuration (`rd_kafka_topic_conf_t`) when the producer first sends to the
/// topic, and checked by librdkafka when the producer is created.
///
/// ```swift
/// var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
/// configuration.acks = .all
/// var clicks = TopicConfiguration()
/// clicks.acks = .leader  // losing a click now and then is fine; waiting for replicas is not
/// clicks.deliveryTimeout = .seconds(5)
/// clicks.compression = .lz4
/// configuration.topics["clicks"] = clicks
/// ```
public struct TopicConfiguration: Sendable {
    /// Replaces ``ProducerConfiguration/acks`` for this topic. `acks`. With idempotence or
    /// transactions only ``Acks/all`` is allowed.
    public var acks: Acks?

    /// Replaces ``ProducerConfiguration/deliveryTimeout`` for this topic: how long its records
    /// may take from send to acknowledgement. `message.timeout.ms`. It must be longer than
    /// ``ProducerConfiguration/linger`` and, for a transactional producer, at most its
    /// transaction timeout.
    public var deliveryTimeout: Duration?

    /// Replaces ``ProducerConfiguration/partitioner`` for this topic: one of librdkafka's by
    /// name (`partitioner`), or a Swift one from ``Partitioner/custom(_:)``.
    public var partitioner: Partitioner?

    /// Replaces ``ProducerConfiguration/compression`` for this topic. `compression.codec`.
    public var compression: Compression?

    /// Any other topic-level librdkafka setting, by its key, applied after the typed ones.
    /// Checked by librdkafka when the producer is created; a key that is not a topic-level
    /// key is refused, naming it.
    public var additionalProperties: [String: String] = [:]

    /// Creates topic settings that change nothing until set.
    public init() {}

    /// The librdkafka topic-level keys these settings stand for, in the order they are applied.
    var librdkafkaProperties: [(key: String, value: String)] {
        var properties: [(key: String, value: String)] = []
        if let acks { properties.append(("acks", String(acks.rawValue))) }
        if let deliveryTimeout { properties.append(("message.timeout.ms", ProducerConfiguration.milliseconds(deliveryTimeout))) }
        if let name = partitioner?.librdkafkaName { properties.append(("partitioner", name)) }
        if let compression { properties.append(("compression.codec", compression.rawValue)) }
        for key in additionalProperties.keys.sorted() { properties.append((key, additionalProperties[key]!)) }
        return properties
    }
}
