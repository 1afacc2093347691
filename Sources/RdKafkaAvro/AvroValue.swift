import Foundation

/// What a Swift value encodes to before it meets the schema: the shapes `Encodable` can produce.
///
/// Encoding happens in two steps because `Encodable` does not know the schema: first the value
/// becomes this tree (``AvroValueEncoder``), then ``AvroBinaryWriter`` walks tree and schema
/// together, so every mismatch is found with the field path in hand.
enum AvroValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case float(Float)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case date(Date)
    case array([AvroValue])
    /// A keyed container: a record's fields or a map's entries, in the order encoded.
    case object([(String, AvroValue)])

    var summary: String {
        switch self {
        case .null: return "nil"
        case .bool: return "a Bool"
        case .integer(let value): return "the integer \(value)"
        case .float, .double: return "a floating-point number"
        case .string: return "a string"
        case .bytes(let bytes): return "\(bytes.count) bytes"
        case .date: return "a Date"
        case .array(let items): return "an array of \(items.count)"
        case .object(let entries): return "a keyed value (\(entries.map(\.0).joined(separator: ", ")))"
        }
    }
}
