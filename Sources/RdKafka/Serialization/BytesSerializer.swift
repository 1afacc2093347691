/// Passes bytes through unchanged, for keys or values that are already bytes.
public struct BytesSerializer: KafkaSerializer {
    /// Creates the serializer.
    public init() {}

    /// Returns `value` itself.
    public func serialize(_ value: [UInt8], in context: SerializationContext) -> [UInt8] {
        value
    }
}
