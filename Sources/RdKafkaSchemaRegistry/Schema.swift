/// A schema as the registry stores it: its text and its type.
///
/// Two schemas are the same when their text is the same character for character; the registry
/// may normalise, but the client's caches compare text.
public struct Schema: Sendable, Hashable {
    /// A schema language the registry knows.
    public struct SchemaType: Hashable, Sendable, CustomStringConvertible {
        /// The registry's name for it: `AVRO`, `PROTOBUF` or `JSON`.
        public let name: String

        /// A type by the registry's name for it, for languages added after this client.
        public init(name: String) {
            self.name = name
        }

        /// Avro, the registry's default when a request names no type.
        public static let avro = SchemaType(name: "AVRO")
        /// Protobuf: the `.proto` text, or a serialized `FileDescriptorProto` in base64.
        public static let protobuf = SchemaType(name: "PROTOBUF")
        /// JSON Schema.
        public static let json = SchemaType(name: "JSON")

        /// The name.
        public var description: String { name }
    }

    /// The schema's text.
    public var text: String
    /// Its language.
    public var type: SchemaType

    /// Creates a schema.
    ///
    /// - Parameters:
    ///   - text: The schema as the registry keeps it.
    ///   - type: Its language; Avro if omitted.
    public init(_ text: String, type: SchemaType = .avro) {
        self.text = text
        self.type = type
    }
}

/// A schema registered under a subject: its global id and its version there.
public struct RegisteredSchema: Sendable, Hashable {
    /// The subject.
    public var subject: String
    /// The registry's id of the schema, the one records carry in their header.
    public var id: UInt32
    /// The schema's version within the subject.
    public var version: Int
    /// The schema.
    public var schema: Schema

    /// Creates a registered schema.
    public init(subject: String, id: UInt32, version: Int, schema: Schema) {
        self.subject = subject
        self.id = id
        self.version = version
        self.schema = schema
    }
}
