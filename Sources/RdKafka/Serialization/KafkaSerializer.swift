/// Turns a key or a value into the bytes a ``ProducerRecord`` carries.
///
/// One protocol serves both halves of a record: ``SerializingProducer`` holds one serializer for
/// keys and one for values, and tells each which half it is writing through the
/// ``SerializationContext``. Serializers are values shared between tasks, so they must be
/// `Sendable`; a serializer that throws stops the record before anything is enqueued.
///
/// ```swift
/// struct UppercaseSerializer: KafkaSerializer {
///     func serialize(_ value: String, in context: SerializationContext) throws -> [UInt8] {
///         Array(value.uppercased().utf8)
///     }
/// }
/// ```
public protocol KafkaSerializer<Value>: Sendable {
    /// The type this serializer accepts.
    associatedtype Value

    /// Returns the bytes for `value`.
    ///
    /// - Parameters:
    ///   - value: The key or value to write.
    ///   - context: The topic and which half of the record the bytes are for.
    /// - Throws: Any error when `value` cannot be written; ``SerializingProducer`` reports it as
    ///   ``KafkaError/Code/serialization`` naming the topic and the half.
    func serialize(_ value: Value, in context: SerializationContext) throws -> [UInt8]
}

/// What a serializer is writing: the topic, and whether the bytes become the key or the value.
public struct SerializationContext: Sendable, Hashable {
    /// Which half of a record a serializer is writing.
    public enum Part: String, Sendable, Hashable {
        /// The record's key.
        case key
        /// The record's value.
        case value
    }

    /// The topic the record is for.
    public var topic: String
    /// Whether the bytes are the key or the value.
    public var part: Part

    /// Creates a context.
    public init(topic: String, part: Part) {
        self.topic = topic
        self.part = part
    }
}
