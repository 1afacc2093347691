public import RdKafka
public import RdKafkaAvro

/// Writes `Encodable` values in Avro's binary encoding, framed with the id the registry gives
/// the schema: what Confluent's `KafkaAvroSerializer` writes, so its deserializers read it.
///
/// The subject's record name is the schema's full name (namespace and name).
///
/// ```swift
/// let orders = try AvroRegistrySerializer<Order>(registry: registry, schema: orderSchemaText)
/// let bytes = try await orders.serialize(order, in: SerializationContext(topic: "orders", part: .value))
/// ```
public struct AvroRegistrySerializer<Value: Encodable>: SchemaRegistrySerializer {
    /// The writer's schema, parsed.
    public let schema: AvroSchema
    private let resolver: SchemaIDResolver

    /// Creates a serializer.
    ///
    /// - Parameters:
    ///   - registry: The registry client; share one between serializers.
    ///   - schema: The Avro schema's JSON text, registered as it is.
    ///   - settings: The subject name strategy and which registered schema to use.
    /// - Throws: `AvroError` when `schema` is not a valid Avro schema.
    public init(
        registry: SchemaRegistryClient, schema: String, settings: SchemaRegistrySerializerSettings = .init()
    ) throws {
        self.schema = try AvroSchema(parsing: schema)
        resolver = SchemaIDResolver(
            registry: registry, schema: Schema(schema, type: .avro), recordName: self.schema.fullName, settings: settings)
    }

    /// An `AvroSerializer` framed with the schema's id for `context`'s subject.
    ///
    /// - Throws: ``SchemaRegistryError`` when the subject cannot be named or the registry
    ///   refuses or cannot be reached.
    public func resolved(for context: SerializationContext) async throws -> AvroSerializer<Value> {
        AvroSerializer(schema: schema, framing: SchemaRegistryFraming(schemaID: try await resolver.schemaID(for: context)))
    }
}
