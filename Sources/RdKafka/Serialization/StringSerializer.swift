/// Writes text as UTF-8 without a terminator or length, as Kafka's own string serializer does.
public struct StringSerializer: KafkaSerializer {
    /// Creates the serializer.
    public init() {}

    /// Returns the UTF-8 bytes of `value`.
    public func serialize(_ value: String, in context: SerializationContext) -> [UInt8] {
        Array(value.utf8)
    }
}
