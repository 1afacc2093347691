import struct Foundation.Date

/// A producer front that takes typed keys and values and turns them into bytes with its
/// serializers before sending.
///
/// A small value wrapping a ``KafkaProducer``: copies share the producer, and any number can
/// wrap the same one with different serializers. It builds a ``ProducerRecord`` and hands it to
/// the producer's own ``KafkaProducer/send(_:)`` or ``KafkaProducer/enqueue(_:correlationID:)``,
/// so delivery, back-pressure, cancellation and reports behave exactly as for bytes; the bytes
/// path itself gains no work.
///
/// ```swift
/// struct Order: Encodable { var id: Int; var total: Double }
/// let orders = producer.serializing(keys: StringSerializer(), values: JSONSerializer<Order>())
/// let report = try await orders.send(key: "customer-42", value: Order(id: 1, total: 12), to: "orders")
/// ```
///
/// A serializer that throws stops the call with ``KafkaError/Code/serialization`` before
/// anything is enqueued; the error names the topic and whether the key or the value failed.
public struct SerializingProducer<KeySerializer: KafkaSerializer, ValueSerializer: KafkaSerializer>: Sendable {
    /// The producer records are sent with.
    public let producer: KafkaProducer
    /// Writes keys.
    public var keySerializer: KeySerializer
    /// Writes values.
    public var valueSerializer: ValueSerializer

    /// Creates a front over `producer`.
    public init(producer: KafkaProducer, keySerializer: KeySerializer, valueSerializer: ValueSerializer) {
        self.producer = producer
        self.keySerializer = keySerializer
        self.valueSerializer = valueSerializer
    }

    /// Serializes the key and value and sends the record, waiting for the broker's
    /// acknowledgement as ``KafkaProducer/send(_:)`` does.
    ///
    /// - Parameters:
    ///   - key: The key, or `nil` for a record without one.
    ///   - value: The value, or `nil` for a tombstone.
    ///   - topic: The topic to write to.
    ///   - headers: Headers, in order.
    ///   - partition: An explicit partition, or `nil` for the partitioner's choice.
    ///   - timestamp: The record's timestamp, or `nil` for now.
    /// - Returns: Where the record was written.
    /// - Throws: ``KafkaError/Code/serialization`` if a serializer failed (nothing was sent), or
    ///   whatever ``KafkaProducer/send(_:)`` throws.
    public func send(
        key: KeySerializer.Value?,
        value: ValueSerializer.Value?,
        to topic: String,
        headers: [ProducerRecord.Header] = [],
        partition: Int32? = nil,
        timestamp: Date? = nil
    ) async throws -> DeliveryReport {
        let record = try record(key: key, value: value, to: topic, headers: headers, partition: partition, timestamp: timestamp)
        return try await producer.send(record)
    }

    /// Serializes the key and value and enqueues the record without waiting for its
    /// acknowledgement, as ``KafkaProducer/enqueue(_:correlationID:)`` does; the outcome arrives
    /// on ``KafkaProducer/deliveryReports`` tagged with `correlationID`.
    ///
    /// - Throws: ``KafkaError/Code/serialization`` if a serializer failed (nothing was
    ///   enqueued, and no report will come), or whatever
    ///   ``KafkaProducer/enqueue(_:correlationID:)`` throws.
    public func enqueue(
        key: KeySerializer.Value?,
        value: ValueSerializer.Value?,
        to topic: String,
        headers: [ProducerRecord.Header] = [],
        partition: Int32? = nil,
        timestamp: Date? = nil,
        correlationID: UInt64 = 0
    ) async throws {
        let record = try record(key: key, value: value, to: topic, headers: headers, partition: partition, timestamp: timestamp)
        try await producer.enqueue(record, correlationID: correlationID)
    }

    /// The record ``send(key:value:to:headers:partition:timestamp:)`` would send, for callers
    /// that batch records with ``KafkaProducer/send(contentsOf:)``.
    ///
    /// - Throws: ``KafkaError/Code/serialization`` naming the topic and the failing half.
    public func record(
        key: KeySerializer.Value?,
        value: ValueSerializer.Value?,
        to topic: String,
        headers: [ProducerRecord.Header] = [],
        partition: Int32? = nil,
        timestamp: Date? = nil
    ) throws(KafkaError) -> ProducerRecord {
        var keyBytes: [UInt8]?
        if let key { keyBytes = try Self.serialize(key, with: keySerializer, topic: topic, part: .key) }
        var valueBytes: [UInt8]?
        if let value { valueBytes = try Self.serialize(value, with: valueSerializer, topic: topic, part: .value) }
        return ProducerRecord(
            topic: topic, key: keyBytes, value: valueBytes, headers: headers, partition: partition, timestamp: timestamp)
    }

    private static func serialize<Serializer: KafkaSerializer>(
        _ value: Serializer.Value,
        with serializer: Serializer,
        topic: String,
        part: SerializationContext.Part
    ) throws(KafkaError) -> [UInt8] {
        do {
            return try serializer.serialize(value, in: SerializationContext(topic: topic, part: part))
        } catch {
            throw KafkaError(
                code: .serialization,
                message: "the \(part.rawValue) could not be serialized by \(Serializer.self): \(error)",
                topic: topic
            )
        }
    }
}

extension KafkaProducer {
    /// A front over this producer that serializes keys and values with the given serializers.
    ///
    /// ```swift
    /// let events = producer.serializing(keys: BigEndianIntegerSerializer<Int64>(), values: StringSerializer())
    /// try await events.send(key: 42, value: "signed-in", to: "events")
    /// ```
    public func serializing<KeySerializer: KafkaSerializer, ValueSerializer: KafkaSerializer>(
        keys keySerializer: KeySerializer,
        values valueSerializer: ValueSerializer
    ) -> SerializingProducer<KeySerializer, ValueSerializer> {
        SerializingProducer(producer: self, keySerializer: keySerializer, valueSerializer: valueSerializer)
    }
}
