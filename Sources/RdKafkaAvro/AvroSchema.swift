import Foundation

/// An Avro schema, parsed from its JSON text, to encode values against.
///
/// Supported: the primitives (`null`, `boolean`, `int`, `long`, `float`, `double`, `bytes`,
/// `string`), `record`, `enum`, `array`, `map`, `union`, `fixed`, references to named types
/// (recursive ones included), and the logical types `date` (on `int`) and `timestamp-millis`
/// (on `long`). Other logical types are encoded as their underlying type, as the Avro
/// specification asks of readers that do not know them.
///
/// ```swift
/// let schema = try AvroSchema(parsing: """
///     {"type": "record", "name": "Reading", "fields": [
///         {"name": "sensor", "type": "string"},
///         {"name": "celsius", "type": ["null", "double"]}
///     ]}
///     """)
/// ```
public struct AvroSchema: Sendable {
    let root: Node
    /// Named types (records, enums, fixed) by full name, for references.
    let namedTypes: [String: Node]

    /// Parses a schema from its JSON text.
    ///
    /// Every field's default is checked against the field's type, as the Avro specification
    /// requires; a recursive field whose default would repeat without end (a record default
    /// that lacks the recursive field, whose default is that record again) is refused.
    ///
    /// - Throws: ``AvroError`` with kind ``AvroError/Kind/invalidSchema`` naming where the
    ///   schema is wrong (an unknown type, a record without fields, a duplicate name, a
    ///   default that does not fit its type or never ends).
    public init(parsing json: String) throws(AvroError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        } catch {
            throw AvroPath().invalidSchema("the schema is not JSON: \(error.localizedDescription)")
        }
        var parser = AvroSchemaParser()
        root = try parser.parse(object, namespace: nil, path: AvroPath())
        namedTypes = parser.namedTypes
        try Self.checkDefaults(in: namedTypes)
    }

    /// The full name (namespace and name) of the schema's top-level type when it is a record,
    /// an enum or a fixed; `nil` for the other types, which have no name. Schema Registry's
    /// record-name subject strategies name the subject after it.
    public var fullName: String? {
        switch root {
        case .record(let name, _), .enumeration(let name, _), .fixed(let name, _): return name
        default: return nil
        }
    }

    /// One schema node. Named types appear once where defined and as `.reference` elsewhere.
    indirect enum Node: Sendable {
        case null, boolean, int, long, float, double, bytes, string
        /// `int` days since 1970-01-01.
        case date
        /// `long` milliseconds since 1970-01-01T00:00:00Z.
        case timestampMillis
        case record(name: String, fields: [Field])
        case enumeration(name: String, symbols: [String])
        case array(Node)
        case map(Node)
        case union([Node])
        case fixed(name: String, size: Int)
        case reference(String)

        /// A short name for error messages.
        var summary: String {
            switch self {
            case .null: return "null"
            case .boolean: return "boolean"
            case .int: return "int"
            case .long: return "long"
            case .float: return "float"
            case .double: return "double"
            case .bytes: return "bytes"
            case .string: return "string"
            case .date: return "int (date)"
            case .timestampMillis: return "long (timestamp-millis)"
            case .record(let name, _): return "record \(name)"
            case .enumeration(let name, _): return "enum \(name)"
            case .array(let items): return "array of \(items.summary)"
            case .map(let values): return "map of \(values.summary)"
            case .union(let branches): return "union [" + branches.map(\.summary).joined(separator: ", ") + "]"
            case .fixed(let name, let size): return "fixed \(name) (\(size) bytes)"
            case .reference(let name): return name
            }
        }
    }

    /// A record field: its name, its schema, and the value written when the Swift value has none.
    struct Field: Sendable {
        var name: String
        var schema: Node
        var defaultValue: AvroValue?
    }
}
