public import Foundation
public import RdKafka

/// Writes `Encodable` values as JSON, framed with the id the registry gives their JSON Schema:
/// what Confluent's `KafkaJsonSchemaSerializer` writes.
///
/// The values are not validated against the schema here; consumers that validate (Confluent's
/// deserializers do) refuse values that do not match. The subject's record name is the
/// schema's `title`, as Confluent's serializers take it.
///
/// ```swift
/// let orders = try JSONSchemaRegistrySerializer<Order>(registry: registry, schema: orderJSONSchemaText)
/// ```
public struct JSONSchemaRegistrySerializer<Value: Encodable>: SchemaRegistrySerializer {
    /// The encoder that writes each value.
    public let encoder: JSONEncoder
    private let resolver: SchemaIDResolver

    /// Creates a serializer.
    ///
    /// - Parameters:
    ///   - registry: The registry client; share one between serializers.
    ///   - schema: The JSON Schema's text, registered as it is.
    ///   - encoder: The encoder for values; a default `JSONEncoder` if omitted.
    ///   - settings: The subject name strategy and which registered schema to use.
    /// - Throws: ``SchemaRegistryError`` `.invalidConfiguration` when `schema` is not a JSON
    ///   object.
    public init(
        registry: SchemaRegistryClient, schema: String, encoder: JSONEncoder = JSONEncoder(),
        settings: SchemaRegistrySerializerSettings = .init()
    ) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any] else {
            throw SchemaRegistryError(code: .invalidConfiguration, message: "the JSON Schema is not a JSON object")
        }
        self.encoder = encoder
        resolver = SchemaIDResolver(
            registry: registry, schema: Schema(schema, type: .json), recordName: object["title"] as? String, settings: settings)
    }

    /// A `JSONSerializer` framed with the schema's id for `context`'s subject.
    ///
    /// - Throws: ``SchemaRegistryError`` when the subject cannot be named or the registry
    ///   refuses or cannot be reached.
    public func resolved(for context: SerializationContext) async throws -> JSONSerializer<Value> {
        JSONSerializer(encoder: encoder, framing: SchemaRegistryFraming(schemaID: try await resolver.schemaID(for: context)))
    }
}
