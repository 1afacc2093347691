import Foundation

/// Turns the JSON object tree of a schema into ``AvroSchema/Node``s, collecting named types.
struct AvroSchemaParser {
    private(set) var namedTypes: [String: AvroSchema.Node] = [:]

    private static let primitives: [String: AvroSchema.Node] = [
        "null": .null, "boolean": .boolean, "int": .int, "long": .long, "float": .float, "double": .double,
        "bytes": .bytes, "string": .string,
    ]

    mutating func parse(_ json: Any, namespace: String?, path: AvroPath) throws(AvroError) -> AvroSchema.Node {
        switch json {
        case let name as String:
            return try resolve(name, namespace: namespace, path: path)
        case let branches as [Any]:
            var nodes: [AvroSchema.Node] = []
            for (index, branch) in branches.enumerated() {
                let node = try parse(branch, namespace: namespace, path: path.index(index))
                if case .union = node { throw path.index(index).invalidSchema("a union may not directly contain a union") }
                nodes.append(node)
            }
            return .union(nodes)
        case let object as [String: Any]:
            return try parseObject(object, namespace: namespace, path: path)
        default:
            throw path.invalidSchema("expected a type name, a union array or a type object, found \(json)")
        }
    }

    private mutating func parseObject(_ object: [String: Any], namespace: String?, path: AvroPath) throws(AvroError)
        -> AvroSchema.Node
    {
        guard let type = object["type"] else { throw path.invalidSchema("the type object has no \"type\"") }
        guard let typeName = type as? String else {
            // {"type": {...}} or {"type": [...]}: a wrapped schema.
            return try parse(type, namespace: namespace, path: path)
        }
        switch typeName {
        case "record", "error":
            let (fullName, innerNamespace) = try fullName(of: object, namespace: namespace, path: path)
            guard let fieldList = object["fields"] as? [Any] else { throw path.invalidSchema("record \(fullName) has no \"fields\" array") }
            // Registered before its fields so that they may refer to it (recursive types).
            try register(fullName, as: .reference(fullName), path: path)
            var fields: [AvroSchema.Field] = []
            for (index, entry) in fieldList.enumerated() {
                guard let field = entry as? [String: Any], let name = field["name"] as? String, let fieldType = field["type"]
                else { throw path.field("fields").index(index).invalidSchema("a field needs a \"name\" and a \"type\"") }
                if fields.contains(where: { $0.name == name }) { throw path.field(name).invalidSchema("duplicate field name") }
                let schema = try parse(fieldType, namespace: innerNamespace, path: path.field(name))
                let defaultValue = try field["default"].map { value throws(AvroError) in
                    try Self.value(fromJSON: value, path: path.field(name))
                }
                fields.append(AvroSchema.Field(name: name, schema: schema, defaultValue: defaultValue))
            }
            let node = AvroSchema.Node.record(name: fullName, fields: fields)
            namedTypes[fullName] = node
            return node
        case "enum":
            let (fullName, _) = try fullName(of: object, namespace: namespace, path: path)
            guard let symbols = object["symbols"] as? [String], !symbols.isEmpty else {
                throw path.invalidSchema("enum \(fullName) needs a non-empty \"symbols\" array of strings")
            }
            guard Set(symbols).count == symbols.count else { throw path.invalidSchema("enum \(fullName) repeats a symbol") }
            let node = AvroSchema.Node.enumeration(name: fullName, symbols: symbols)
            try register(fullName, as: node, path: path)
            return node
        case "fixed":
            let (fullName, _) = try fullName(of: object, namespace: namespace, path: path)
            guard let size = object["size"] as? Int, size >= 0 else { throw path.invalidSchema("fixed \(fullName) needs a \"size\" ≥ 0") }
            let node = AvroSchema.Node.fixed(name: fullName, size: size)
            try register(fullName, as: node, path: path)
            return node
        case "array":
            guard let items = object["items"] else { throw path.invalidSchema("array has no \"items\"") }
            return .array(try parse(items, namespace: namespace, path: path.index(0)))
        case "map":
            guard let values = object["values"] else { throw path.invalidSchema("map has no \"values\"") }
            return .map(try parse(values, namespace: namespace, path: path.key("*")))
        default:
            let base = try resolve(typeName, namespace: namespace, path: path)
            switch (object["logicalType"] as? String, base) {
            case ("date", .int): return .date
            case ("timestamp-millis", .long): return .timestampMillis
            default: return base  // unknown logical types fall back to the underlying type
            }
        }
    }

    private func resolve(_ name: String, namespace: String?, path: AvroPath) throws(AvroError) -> AvroSchema.Node {
        if let primitive = Self.primitives[name] { return primitive }
        let candidates = name.contains(".") ? [name] : [namespace.map { "\($0).\(name)" }, name].compactMap { $0 }
        for candidate in candidates where namedTypes[candidate] != nil {
            return .reference(candidate)
        }
        throw path.invalidSchema("unknown type \"\(name)\"")
    }

    private mutating func register(_ fullName: String, as node: AvroSchema.Node, path: AvroPath) throws(AvroError) {
        guard namedTypes[fullName] == nil else { throw path.invalidSchema("the name \(fullName) is defined twice") }
        namedTypes[fullName] = node
    }

    /// The full name of a named type and the namespace its fields resolve names in.
    private func fullName(of object: [String: Any], namespace: String?, path: AvroPath) throws(AvroError) -> (String, String?) {
        guard let name = object["name"] as? String, !name.isEmpty else { throw path.invalidSchema("a named type has no \"name\"") }
        if let dot = name.lastIndex(of: ".") { return (name, String(name[..<dot])) }
        let own = (object["namespace"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? namespace
        return (own.map { "\($0).\(name)" } ?? name, own)
    }

    /// A field's JSON default as a value the writer can encode.
    static func value(fromJSON json: Any, path: AvroPath) throws(AvroError) -> AvroValue {
        switch json {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            let double = number.doubleValue
            if double.rounded() == double, let integer = Int64(exactly: double) { return .integer(integer) }
            return .double(double)
        case let items as [Any]:
            var values: [AvroValue] = []
            for (index, item) in items.enumerated() { values.append(try value(fromJSON: item, path: path.index(index))) }
            return .array(values)
        case let object as [String: Any]:
            var entries: [(String, AvroValue)] = []
            for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                entries.append((key, try value(fromJSON: item, path: path.key(key))))
            }
            return .object(entries)
        default:
            throw path.invalidSchema("unsupported default value \(json)")
        }
    }
}
