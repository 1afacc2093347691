public import RdKafka

/// A serializer that finds its schema's id in a Schema Registry, registering the schema first
/// if asked to, and then writes values framed with that id.
///
/// Finding the id may need a request, so it is asynchronous; writing is not. ``resolved(for:)``
/// returns the plain `KafkaSerializer` for one topic and half, with the id in its framing,
/// for `KafkaProducer/serializing(keys:values:)`; ``serialize(_:in:)`` does both for one
/// value. Ids are cached, so only the first use of a schema under a subject asks the registry.
///
/// ```swift
/// let orders = try AvroRegistrySerializer<Order>(registry: registry, schema: orderSchemaText)
/// let values = try await orders.resolved(for: SerializationContext(topic: "orders", part: .value))
/// let producer = kafkaProducer.serializing(keys: StringSerializer(), values: values)
/// ```
public protocol SchemaRegistrySerializer<Value>: Sendable {
    /// The type this serializer accepts.
    associatedtype Value
    /// The framed serializer for one topic and half.
    associatedtype Resolved: KafkaSerializer where Resolved.Value == Value

    /// Finds the schema's id for `context`'s subject and returns a serializer that writes
    /// values with it.
    ///
    /// - Parameter context: The topic and whether the bytes are the key or the value.
    /// - Returns: A serializer whose framing carries the schema's id.
    /// - Throws: ``SchemaRegistryError`` when the subject cannot be named or the registry
    ///   refuses or cannot be reached.
    func resolved(for context: SerializationContext) async throws -> Resolved
}

extension SchemaRegistrySerializer {
    /// Returns the bytes for `value`: the registry header with the schema's id, then the value.
    ///
    /// - Parameters:
    ///   - value: The key or value to write.
    ///   - context: The topic and half.
    /// - Throws: ``SchemaRegistryError`` from ``resolved(for:)``, or what the framed
    ///   serializer throws for `value`.
    public func serialize(_ value: Value, in context: SerializationContext) async throws -> [UInt8] {
        try await resolved(for: context).serialize(value, in: context)
    }
}

/// Which registered schema a registry serializer writes with.
public struct SchemaSelection: Sendable, Hashable {
    enum Rule: Hashable {
        case register, lookUp, latest
    }

    let rule: Rule

    /// Registers the serializer's schema under the subject when it is not there yet
    /// (`auto.register.schemas=true` in Confluent's serializers). The default.
    public static let autoRegister = SchemaSelection(rule: .register)
    /// Uses the serializer's schema only if it is already registered under the subject, and
    /// fails otherwise (`auto.register.schemas=false`): for producers that must not change
    /// the registry.
    public static let registeredOnly = SchemaSelection(rule: .lookUp)
    /// Uses the subject's latest version's id, whatever the serializer's schema
    /// (`use.latest.version=true`). The values are still written with the serializer's
    /// schema, which must be the latest or written compatibly with it.
    public static let latestVersion = SchemaSelection(rule: .latest)
}

/// The settings every registry serializer shares, and the rule they follow to find an id.
public struct SchemaRegistrySerializerSettings: Sendable, Hashable {
    /// How the subject is named. ``SubjectNameStrategy/topicName`` by default.
    public var subjectNameStrategy: SubjectNameStrategy = .topicName
    /// Which registered schema is used. ``SchemaSelection/autoRegister`` by default.
    public var selection: SchemaSelection = .autoRegister

    /// Creates settings.
    public init(subjectNameStrategy: SubjectNameStrategy = .topicName, selection: SchemaSelection = .autoRegister) {
        self.subjectNameStrategy = subjectNameStrategy
        self.selection = selection
    }
}

/// Finds a schema's id for a topic and half: the subject by the strategy, then the id by the
/// selection, through the client's caches. `package` so that the Protobuf serializer, which
/// lives with SwiftProtobuf in its own target, follows the same rule.
package struct SchemaIDResolver: Sendable {
    let registry: SchemaRegistryClient
    let schema: Schema
    let recordName: String?
    let settings: SchemaRegistrySerializerSettings

    package init(registry: SchemaRegistryClient, schema: Schema, recordName: String?, settings: SchemaRegistrySerializerSettings) {
        self.registry = registry
        self.schema = schema
        self.recordName = recordName
        self.settings = settings
    }

    package func schemaID(for context: SerializationContext) async throws -> UInt32 {
        let subject = try settings.subjectNameStrategy.subject(for: context, recordName: recordName)
        switch settings.selection.rule {
        case .register: return try await registry.register(schema, under: subject)
        case .lookUp: return try await registry.lookUp(schema, under: subject).id
        case .latest: return try await registry.latestVersion(of: subject).id
        }
    }
}
