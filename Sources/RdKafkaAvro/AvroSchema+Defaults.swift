extension AvroSchema {
    /// How many records, arrays and maps a value may nest inside each other when encoded.
    ///
    /// Encoding walks the value recursively; the bound keeps a deep or self-referencing value
    /// from exhausting the stack, including a Swift task's smaller one, built with
    /// AddressSanitizer, whose frames are several times larger. A value nested deeper is
    /// refused with an ``AvroError`` of kind ``AvroError/Kind/tooDeep`` naming the path where
    /// the limit was reached.
    public static let maximumNestingDepth = 64

    /// Writes every field's default once, so that a default that does not fit its field's
    /// type, or one that would repeat without end (a recursive field whose default is a record
    /// lacking that field), is refused when the schema is parsed rather than when a value
    /// first lacks the field.
    static func checkDefaults(in namedTypes: [String: Node]) throws(AvroError) {
        for (recordName, node) in namedTypes.sorted(by: { $0.key < $1.key }) {
            guard case .record(_, let fields) = node else { continue }
            for field in fields {
                guard let defaultValue = field.defaultValue else { continue }
                let path = AvroPath().field(recordName).field(field.name)
                var writer = AvroBinaryWriter(namedTypes: namedTypes)
                do {
                    try writer.writeDefault(defaultValue, of: field, inRecord: recordName, at: path)
                } catch  where error.kind == .invalidSchema {
                    throw error
                } catch {
                    let place = error.path == path.description ? "" : " (at \(error.path))"
                    throw path.invalidSchema("the default is not a valid \(field.schema.summary)\(place): \(error.message)")
                }
            }
        }
    }
}
