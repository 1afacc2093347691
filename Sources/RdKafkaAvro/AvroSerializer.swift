public import RdKafka

/// Writes `Encodable` values in Avro's binary encoding against a given schema.
///
/// The value's coding keys are matched to the record's field names. Swift optionals map to
/// unions with `null` (a `nil` that `Encodable` leaves out is written as the null branch), a
/// non-nil value to the first branch that takes it; `String`-backed Swift enums map to Avro
/// enums; `[String: V]` to maps; `Data` or `[UInt8]` to bytes and fixed; `Date` to `date` and
/// `timestamp-millis`. Fields the value lacks get the schema's default. With `framing`, each
/// value is preceded by the Confluent Schema Registry header.
///
/// ```swift
/// struct Reading: Encodable { var sensor: String; var celsius: Double? }
/// let serializer = AvroSerializer<Reading>(schema: schema, framing: .init(schemaID: 12))
/// ```
public struct AvroSerializer<Value: Encodable>: KafkaSerializer {
    /// The schema values are written against.
    public let schema: AvroSchema
    /// The registry header to put before each value, or `nil` for bare Avro.
    public var framing: SchemaRegistryFraming?

    /// Creates a serializer.
    ///
    /// - Parameters:
    ///   - schema: The writer's schema.
    ///   - framing: A registry header to put before each value, or `nil` for bare Avro.
    public init(schema: AvroSchema, framing: SchemaRegistryFraming? = nil) {
        self.schema = schema
        self.framing = framing
    }

    /// Returns the Avro binary encoding of `value`, after the registry header if there is one.
    ///
    /// - Throws: ``AvroError`` naming the field path where `value` does not match the schema,
    ///   or the `EncodingError` the value's own `encode(to:)` throws.
    public func serialize(_ value: Value, in context: SerializationContext) throws -> [UInt8] {
        try encode(value)
    }

    /// Returns the Avro binary encoding of `value`, after the registry header if there is one.
    ///
    /// - Throws: As ``serialize(_:in:)``.
    public func encode(_ value: Value) throws -> [UInt8] {
        let tree = try AvroValueEncoder.encode(value)
        var writer = AvroBinaryWriter(namedTypes: schema.namedTypes)
        try writer.write(tree, as: schema.root, at: AvroPath())
        guard let framing else { return writer.bytes }
        return framing.frame(writer.bytes)
    }
}
