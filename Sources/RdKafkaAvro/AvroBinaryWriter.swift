import Foundation
import RdKafka

/// Writes an ``AvroValue`` tree in Avro's binary encoding, checking it against the schema.
///
/// Two guards keep a recursive schema from recursing without end: a field's default is never
/// written inside its own default (which would repeat forever, since a default is a constant),
/// and no value nests deeper than ``AvroSchema/maximumNestingDepth``, so that no input can
/// exhaust the stack.
struct AvroBinaryWriter {
    let namedTypes: [String: AvroSchema.Node]
    private(set) var bytes: [UInt8] = []
    /// The fields (`Record.field`) whose defaults are being written, outermost first.
    private var defaultsInUse: [String] = []
    /// How many records, arrays and maps enclose the value being written.
    private var depth = 0

    init(namedTypes: [String: AvroSchema.Node]) {
        self.namedTypes = namedTypes
    }

    /// Writes `value` as `schema`; `nil` means the value had no entry at all (a missing field).
    mutating func write(_ value: AvroValue?, as schema: AvroSchema.Node, at path: AvroPath) throws(AvroError) {
        switch (schema, value) {
        case (.reference(let name), _):
            guard let named = namedTypes[name] else { throw path.mismatch("the schema refers to an unknown type \(name)") }
            try write(value, as: named, at: path)
        case (.union(let branches), _):
            try writeUnion(value, branches: branches, at: path)
        case (.null, nil), (.null, .null?):
            break
        case (.boolean, .bool(let flag)?):
            bytes.append(flag ? 1 : 0)
        case (.int, .integer(let integer)?), (.date, .integer(let integer)?):
            try writeInt(integer, at: path)
        case (.long, .integer(let integer)?), (.timestampMillis, .integer(let integer)?):
            writeLong(integer)
        case (.float, _):
            guard let number = Self.floatingPoint(value) else { throw mismatch(value, schema, path) }
            appendLittleEndian(Float(number).bitPattern)
        case (.double, _):
            guard let number = Self.floatingPoint(value) else { throw mismatch(value, schema, path) }
            appendLittleEndian(number.bitPattern)
        case (.string, .string(let text)?):
            writeBytes(Array(text.utf8))
        case (.bytes, _):
            guard let raw = try rawBytes(value, at: path) else { throw mismatch(value, schema, path) }
            writeBytes(raw)
        case (.fixed(let name, let size), _):
            guard let raw = try rawBytes(value, at: path) else { throw mismatch(value, schema, path) }
            guard raw.count == size else { throw path.mismatch("fixed \(name) takes exactly \(size) bytes, got \(raw.count)") }
            bytes.append(contentsOf: raw)
        case (.date, .date(let date)?):
            let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
            guard let integer = Int64(exactly: days) else { throw path.mismatch("\(date) is outside the date range") }
            try writeInt(integer, at: path)
        case (.timestampMillis, .date(let date)?):
            let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
            guard let integer = Int64(exactly: milliseconds) else { throw path.mismatch("\(date) is outside the timestamp range") }
            writeLong(integer)
        case (.enumeration(let name, let symbols), .string(let symbol)?):
            guard let index = symbols.firstIndex(of: symbol) else {
                throw path.mismatch("\"\(symbol)\" is not a symbol of enum \(name) (\(symbols.joined(separator: ", ")))")
            }
            writeLong(Int64(index))
        case (.array(let items), .array(let values)?):
            if !values.isEmpty {
                writeLong(Int64(values.count))
                for (index, item) in values.enumerated() { try writeNested(item, as: items, at: path.index(index)) }
            }
            writeLong(0)
        case (.map(let valueSchema), .object(let entries)?):
            if !entries.isEmpty {
                writeLong(Int64(entries.count))
                for (key, entry) in entries {
                    writeBytes(Array(key.utf8))
                    try writeNested(entry, as: valueSchema, at: path.key(key))
                }
            }
            writeLong(0)
        case (.record(let name, let fields), .object(let entries)?):
            try writeRecord(name: name, fields: fields, entries: entries, at: path)
        default:
            throw mismatch(value, schema, path)
        }
    }

    private mutating func writeRecord(name: String, fields: [AvroSchema.Field], entries: [(String, AvroValue)], at path: AvroPath)
        throws(AvroError)
    {
        let known = Set(fields.map(\.name))
        if let unknown = entries.first(where: { !known.contains($0.0) }) {
            throw path.field(unknown.0).mismatch("record \(name) has no field \"\(unknown.0)\"")
        }
        let values = Dictionary(entries, uniquingKeysWith: { _, last in last })
        for field in fields {
            let fieldPath = path.field(field.name)
            if let value = values[field.name] {
                try writeNested(value, as: field.schema, at: fieldPath)
            } else if let defaultValue = field.defaultValue {
                try writeDefault(defaultValue, of: field, inRecord: name, at: fieldPath)
            } else {
                // A missing optional (encodeIfPresent) is null; anything else must be present.
                guard accepts(null: field.schema) else {
                    throw fieldPath.mismatch("missing; the schema's \(field.schema.summary) has no default")
                }
                try writeNested(nil, as: field.schema, at: fieldPath)
            }
        }
    }

    /// Writes `field`'s default, refusing one that needs itself: a default is a constant, so
    /// meeting it again inside itself means it would repeat forever.
    mutating func writeDefault(_ value: AvroValue, of field: AvroSchema.Field, inRecord record: String, at path: AvroPath)
        throws(AvroError)
    {
        let identity = "\(record).\(field.name)"
        guard !defaultsInUse.contains(identity) else {
            let chain = (defaultsInUse.drop(while: { $0 != identity }) + [identity]).joined(separator: " → ")
            throw path.invalidSchema(
                "the default of \(identity) never ends: writing it needs the same default again inside it (\(chain)); "
                    + "give the recursive field a union with null and a null default")
        }
        defaultsInUse.append(identity)
        defer { defaultsInUse.removeLast() }
        try writeNested(value, as: field.schema, at: path)
    }

    /// Writes a value one level deeper, refusing to go past ``AvroSchema/maximumNestingDepth``.
    private mutating func writeNested(_ value: AvroValue?, as schema: AvroSchema.Node, at path: AvroPath) throws(AvroError) {
        guard depth < AvroSchema.maximumNestingDepth else {
            throw AvroError(
                kind: .tooDeep, path: path.description,
                message: "the value nests more than \(AvroSchema.maximumNestingDepth) records, arrays or maps deep")
        }
        depth += 1
        defer { depth -= 1 }
        try write(value, as: schema, at: path)
    }

    /// Writes the branch index, then the value as the first branch that takes it.
    private mutating func writeUnion(_ value: AvroValue?, branches: [AvroSchema.Node], at path: AvroPath) throws(AvroError) {
        let isNull: Bool
        if case .null? = value { isNull = true } else { isNull = value == nil }
        var firstFailure: AvroError?
        for (index, branch) in branches.enumerated() {
            let branchIsNull = resolved(branch).isNull
            if isNull != branchIsNull { continue }
            // The same depth and defaults in use: a branch is a place inside this value.
            var attempt = self
            attempt.bytes = []
            do {
                try attempt.write(value, as: branch, at: path)
            } catch  where error.kind != .mismatch {
                // Too deep or a default that never ends: no other branch would end either.
                throw error
            } catch {
                firstFailure = firstFailure ?? error
                continue
            }
            writeLong(Int64(index))
            bytes.append(contentsOf: attempt.bytes)
            return
        }
        let union = AvroSchema.Node.union(branches).summary
        if isNull { throw path.mismatch("nil, but the \(union) has no null branch") }
        throw path.mismatch("\(value?.summary ?? "nil") fits no branch of the \(union)" + (firstFailure.map { " (\($0.message))" } ?? ""))
    }

    private func resolved(_ node: AvroSchema.Node) -> AvroSchema.Node {
        if case .reference(let name) = node, let named = namedTypes[name] { return named }
        return node
    }

    private func accepts(null schema: AvroSchema.Node) -> Bool {
        switch resolved(schema) {
        case .null: return true
        case .union(let branches): return branches.contains { resolved($0).isNull }
        default: return false
        }
    }

    private func mismatch(_ value: AvroValue?, _ schema: AvroSchema.Node, _ path: AvroPath) -> AvroError {
        if value == nil { return path.mismatch("missing; the schema expects \(schema.summary)") }
        return path.mismatch("expected \(schema.summary), got \(value?.summary ?? "nil")")
    }

    private mutating func writeInt(_ value: Int64, at path: AvroPath) throws(AvroError) {
        guard Int64(Int32.min)...Int64(Int32.max) ~= value else { throw path.mismatch("\(value) does not fit Avro's 32-bit int") }
        writeLong(value)
    }

    /// Avro's `long` (and `int`): a zig-zag varint.
    private mutating func writeLong(_ value: Int64) {
        bytes.appendZigZagVarint(value)
    }

    private mutating func writeBytes(_ raw: [UInt8]) {
        writeLong(Int64(raw.count))
        bytes.append(contentsOf: raw)
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A number for float and double: integers too, since JSON input does not say `12.0`.
    private static func floatingPoint(_ value: AvroValue?) -> Double? {
        switch value {
        case .double(let number)?: return number
        case .float(let number)?: return Double(number)
        case .integer(let integer)?: return Double(integer)
        default: return nil
        }
    }

    /// Bytes for bytes and fixed: `Data`, or an array of integers 0...255 (how `[UInt8]` encodes).
    /// Inside a default, also a string whose code points are the bytes, as the Avro
    /// specification writes bytes in JSON.
    private func rawBytes(_ value: AvroValue?, at path: AvroPath) throws(AvroError) -> [UInt8]? {
        switch value {
        case .bytes(let raw)?: return raw
        case .string(let text)? where !defaultsInUse.isEmpty:
            var raw: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard let byte = UInt8(exactly: scalar.value) else {
                    throw path.mismatch(
                        "a bytes default is a string of code points 0 to 255, found U+\(String(scalar.value, radix: 16, uppercase: true))")
                }
                raw.append(byte)
            }
            return raw
        case .array(let items)?:
            var raw: [UInt8] = []
            raw.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard case .integer(let integer) = item, let byte = UInt8(exactly: integer) else {
                    throw path.index(index).mismatch("expected a byte (0...255), got \(item.summary)")
                }
                raw.append(byte)
            }
            return raw
        default: return nil
        }
    }
}

extension AvroSchema.Node {
    fileprivate var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
