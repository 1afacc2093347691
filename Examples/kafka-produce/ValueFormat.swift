import ArgumentParser
import Foundation
import RdKafka
import RdKafkaAvro

/// How record values are written: the bytes as given, or JSON objects as JSON or as Avro.
enum ValueFormat: String, ExpressibleByArgument, CaseIterable {
    case bytes, json, avro
}

/// Turns each value (an input line, or a generated object) into the bytes to send, for
/// `--format json` and `--format avro`.
///
/// Input lines must be JSON objects. With `--format json` they are checked (so malformed
/// lines are caught here, not by the consumer) and sent exactly as given: a number keeps every
/// digit. With `--format avro` they are encoded against the `--schema` file, and a number that
/// a 64-bit integer or double cannot hold is refused by name rather than rounded.
/// `--schema-id` adds the Schema Registry header.
struct ValueEncoder: Sendable {
    private let encode: @Sendable (JSONObject) throws -> [UInt8]
    /// Whether lines are converted (Avro), so their numbers must fit; JSON lines are sent as
    /// they are.
    private let convertsNumbers: Bool
    private let framing: SchemaRegistryFraming?

    init(format: ValueFormat, schemaFile: String?, schemaID: UInt32?) throws {
        let framing = schemaID.map { SchemaRegistryFraming(schemaID: $0) }
        self.framing = framing
        convertsNumbers = format == .avro
        let context = SerializationContext(topic: "", part: .value)
        switch format {
        case .bytes:
            throw ValidationError("--format bytes sends input as it is; no encoder is needed")
        case .json:
            let serializer = JSONSerializer<JSONObject>(framing: framing)
            encode = { try serializer.serialize($0, in: context) }
        case .avro:
            guard let schemaFile else { throw ValidationError("--format avro needs --schema FILE (an Avro schema, .avsc)") }
            let text: String
            do {
                text = try String(contentsOfFile: schemaFile, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read --schema \(schemaFile): \(error.localizedDescription)")
            }
            let schema: AvroSchema
            do {
                schema = try AvroSchema(parsing: text)
            } catch {
                throw ValidationError("--schema \(schemaFile): \(error)")
            }
            let serializer = AvroSerializer<JSONObject>(schema: schema, framing: framing)
            encode = { try serializer.serialize($0, in: context) }
        }
    }

    /// An encoder writing with `serializer`: the registry path, whose serializer is resolved
    /// (its schema id found) before any record is sent.
    /// The serializer frames what it writes itself, and converts each line (Avro), so numbers
    /// must fit as with `--format avro`.
    init(serializer: some KafkaSerializer<JSONObject>) {
        let context = SerializationContext(topic: "", part: .value)
        encode = { try serializer.serialize($0, in: context) }
        convertsNumbers = true
        framing = nil
    }

    /// Encodes one input line, which must hold one JSON object.
    func encode(line: [UInt8]) throws -> [UInt8] {
        let exactNumbers = convertsNumbers
        try line.withUnsafeBytes { bytes in try JSONSyntax.checkObject(bytes, exactNumbers: exactNumbers) }
        guard convertsNumbers else { return framing.map { $0.frame(line) } ?? line }
        let value: JSONObject
        do {
            value = try JSONDecoder().decode(JSONObject.self, from: Data(line))
        } catch let error as DecodingError {
            throw NotJSON(error)
        }
        guard case .object = value else { throw NotAnObject() }
        do {
            return try encode(value)
        } catch let error as EncodingError {
            throw NotEncodable(error)
        }
    }

    /// A line that does not parse as JSON, said in one short line: the decoder's own error
    /// spells out its whole coding path, which for a deeply nested line is as long as the line.
    struct NotJSON: Error, CustomStringConvertible {
        var description: String

        init(_ error: DecodingError) {
            let context: DecodingError.Context? =
                switch error {
                case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
                    .valueNotFound(_, let context):
                    context
                @unknown default: nil
                }
            description = "the line is not valid JSON: " + briefly(context?.debugDescription, depth: context?.codingPath.count)
        }
    }

    /// A line the encoder refuses, in one short line: its own error quotes the whole value.
    struct NotEncodable: Error, CustomStringConvertible {
        var description: String

        init(_ error: EncodingError) {
            let context: EncodingError.Context? =
                switch error {
                case .invalidValue(_, let context): context
                @unknown default: nil
                }
            description = "the encoder refused it: " + briefly(context?.debugDescription, depth: context?.codingPath.count)
        }
    }

    /// Encodes the generated object for record `id`: `{"id": id, "payload": "abc…"}`, so an Avro
    /// schema for generated records needs a long (or int) field `id` and a string field `payload`.
    func encodeGenerated(id: Int, payload: String) throws -> [UInt8] {
        try encode(.object(["id": .integer(Int64(id)), "payload": .string(payload)]))
    }

    struct NotAnObject: Error, CustomStringConvertible {
        var description: String { "the line is JSON but not a JSON object" }
    }
}

/// A JSON value read from input, encoded back unchanged: integers stay integers (Avro int and
/// long need them), and object members keep their names.
enum JSONObject: Codable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONObject])
    case object([String: JSONObject])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONObject].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONObject].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }
}

/// A coder's reason, at most 200 characters, and how deep in the value it arose.
private func briefly(_ reason: String?, depth: Int?) -> String {
    var text = reason ?? "no reason given"
    if text.count > 200 { text = String(text.prefix(200)) + "…" }
    if let depth, depth > 0 { text += " (at nesting depth \(depth))" }
    return text
}
