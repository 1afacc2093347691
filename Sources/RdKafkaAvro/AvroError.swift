/// Why a schema could not be parsed or a value could not be encoded against it.
///
/// ``path`` names where: the field path of the value (`order.items[2].price`) for encoding,
/// or the place in the schema for parsing.
public struct AvroError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which kind of problem this is.
    public struct Kind: RawRepresentable, Sendable, Hashable {
        /// The kind's name.
        public var rawValue: String

        /// Creates a kind from its name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The schema text is not a valid Avro schema.
        public static let invalidSchema = Kind(rawValue: "invalid schema")
        /// A value does not match the schema at ``AvroError/path``.
        public static let mismatch = Kind(rawValue: "mismatch")
        /// A value nests deeper than ``AvroSchema/maximumNestingDepth`` at ``AvroError/path``.
        public static let tooDeep = Kind(rawValue: "too deep")
    }

    /// Which kind of problem this is.
    public var kind: Kind
    /// Where: a field path such as `order.items[2].price`, or `<root>` for the top level.
    public var path: String
    /// What is wrong there.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// The kind, the path and the message on one line.
    public var description: String {
        "Avro \(kind.rawValue) at \(path): \(message)"
    }
}

/// A place in a value or schema, built up while descending, printed as `a.b[2].c`.
struct AvroPath: Sendable {
    private var text: String = ""

    func field(_ name: String) -> AvroPath {
        var copy = self
        copy.text += copy.text.isEmpty ? name : "." + name
        return copy
    }

    func index(_ index: Int) -> AvroPath {
        var copy = self
        copy.text += "[\(index)]"
        return copy
    }

    func key(_ key: String) -> AvroPath {
        var copy = self
        copy.text += "[\"\(key)\"]"
        return copy
    }

    var description: String { text.isEmpty ? "<root>" : text }

    func mismatch(_ message: String) -> AvroError {
        AvroError(kind: .mismatch, path: description, message: message)
    }

    func invalidSchema(_ message: String) -> AvroError {
        AvroError(kind: .invalidSchema, path: description, message: message)
    }
}
