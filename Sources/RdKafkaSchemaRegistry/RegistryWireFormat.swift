import Foundation

/// The JSON bodies of Confluent's Schema Registry REST API that the client sends and reads.
enum RegistryWireFormat {
    /// `POST /subjects/{subject}/versions`, `POST /subjects/{subject}` and
    /// `POST /compatibility/...`: the schema, its type (omitted for Avro, the default).
    struct SchemaBody: Encodable {
        var schema: String
        var schemaType: String?

        init(_ schema: Schema) {
            self.schema = schema.text
            schemaType = schema.type == .avro ? nil : schema.type.name
        }
    }

    /// The answer to a registration.
    struct IDBody: Decodable {
        var id: UInt32
    }

    /// `GET /schemas/ids/{id}`.
    struct SchemaByIDBody: Decodable {
        var schema: String
        var schemaType: String?
    }

    /// A lookup's and a version's answer.
    struct VersionBody: Decodable {
        var subject: String
        var id: UInt32
        var version: Int
        var schema: String
        var schemaType: String?
    }

    /// A compatibility check's answer.
    struct CompatibilityBody: Decodable {
        var isCompatible: Bool

        enum CodingKeys: String, CodingKey {
            case isCompatible = "is_compatible"
        }
    }

    static func type(named name: String?) -> Schema.SchemaType {
        switch name {
        case nil, "AVRO": .avro
        case "PROTOBUF": .protobuf
        case "JSON": .json
        case let other?: Schema.SchemaType(name: other)
        }
    }
}
