import Foundation

/// Writes `Encodable` values as JSON with Foundation's `JSONEncoder`.
///
/// Configure the encoder (key and date strategies, sorted keys) before passing it in. With
/// `framing`, the JSON is preceded by the Confluent Schema Registry header, as registry-aware
/// JSON Schema deserializers expect.
///
/// ```swift
/// let encoder = JSONEncoder()
/// encoder.keyEncodingStrategy = .convertToSnakeCase
/// let serializer = JSONSerializer<Order>(encoder: encoder)
/// ```
public struct JSONSerializer<Value: Encodable>: KafkaSerializer {
    /// The encoder that writes each value. Its settings are read on every call.
    public let encoder: JSONEncoder
    /// The registry header to put before the JSON, or `nil` for plain JSON.
    public var framing: SchemaRegistryFraming?

    /// Creates a serializer.
    ///
    /// - Parameters:
    ///   - encoder: The encoder to use; a default `JSONEncoder` if omitted.
    ///   - framing: A registry header to put before each value, or `nil` for plain JSON.
    public init(encoder: JSONEncoder = JSONEncoder(), framing: SchemaRegistryFraming? = nil) {
        self.encoder = encoder
        self.framing = framing
    }

    /// Returns the JSON text of `value` as UTF-8, after the registry header if there is one.
    ///
    /// - Throws: The `EncodingError` `JSONEncoder` throws (for example for a non-finite `Double`).
    public func serialize(_ value: Value, in context: SerializationContext) throws -> [UInt8] {
        let json = try encoder.encode(value)
        guard let framing else { return Array(json) }
        return framing.frame(json)
    }
}
