import Foundation

/// Encodes any `Encodable` value into an ``AvroValue`` tree.
///
/// `Date` and `Data` are kept as such (for the date, timestamp and bytes types) rather than
/// encoded through their own `Encodable` conformances, which would make numbers and arrays.
enum AvroValueEncoder {
    static func encode(_ value: some Encodable) throws -> AvroValue {
        let slot = Slot()
        try slot.store(value, codingPath: [])
        return slot.resolved()
    }
}

/// One place a value is encoded into; containers hold further slots, resolved at the end.
private final class Slot {
    enum Content {
        case empty
        case value(AvroValue)
        case keyed(KeyedStorage)
        case unkeyed(UnkeyedStorage)
    }

    var content: Content = .empty

    func resolved() -> AvroValue {
        switch content {
        case .empty: return .null
        case .value(let value): return value
        case .keyed(let storage): return .object(storage.keys.map { ($0, storage.slots[$0]!.resolved()) })
        case .unkeyed(let storage): return .array(storage.slots.map { $0.resolved() })
        }
    }

    func store<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let date as Date: content = .value(.date(date))
        case let data as Data: content = .value(.bytes(Array(data)))
        default: try value.encode(to: TreeEncoder(slot: self, codingPath: codingPath))
        }
    }

    func keyedStorage() -> KeyedStorage {
        if case .keyed(let storage) = content { return storage }
        let storage = KeyedStorage()
        content = .keyed(storage)
        return storage
    }

    func unkeyedStorage() -> UnkeyedStorage {
        if case .unkeyed(let storage) = content { return storage }
        let storage = UnkeyedStorage()
        content = .unkeyed(storage)
        return storage
    }

    static func integer<I: BinaryInteger>(_ value: I, codingPath: [any CodingKey]) throws -> AvroValue {
        guard let integer = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "\(value) does not fit Avro's 64-bit long"))
        }
        return .integer(integer)
    }
}

private final class KeyedStorage {
    var keys: [String] = []
    var slots: [String: Slot] = [:]

    func slot(for key: String) -> Slot {
        if let slot = slots[key] { return slot }
        let slot = Slot()
        keys.append(key)
        slots[key] = slot
        return slot
    }
}

private final class UnkeyedStorage {
    var slots: [Slot] = []

    func append() -> Slot {
        let slot = Slot()
        slots.append(slot)
        return slot
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(storage: slot.keyedStorage(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(storage: slot.unkeyedStorage(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(slot: slot, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: KeyedStorage
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { storage.slot(for: key.stringValue).content = .value(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.float(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(try Slot.integer(value, codingPath: codingPath + [key]), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(try Slot.integer(value, codingPath: codingPath + [key]), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try storage.slot(for: key.stringValue).store(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = storage.slot(for: key.stringValue).keyedStorage()
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(storage: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedContainer(storage: storage.slot(for: key.stringValue).unkeyedStorage(), codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(slot: storage.slot(for: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: storage.slot(for: key.stringValue), codingPath: codingPath + [key])
    }

    private func set(_ value: AvroValue, _ key: Key) {
        storage.slot(for: key.stringValue).content = .value(value)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let storage: UnkeyedStorage
    let codingPath: [any CodingKey]
    var count: Int { storage.slots.count }

    mutating func encodeNil() throws { storage.append().content = .value(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(.float(value)) }
    mutating func encode(_ value: Int) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(try Slot.integer(value, codingPath: nextPath)) }
    mutating func encode(_ value: UInt8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(try Slot.integer(value, codingPath: nextPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try storage.append().store(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(storage: storage.append().keyedStorage(), codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        return UnkeyedContainer(storage: storage.append().unkeyedStorage(), codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return TreeEncoder(slot: storage.append(), codingPath: path)
    }

    private var nextPath: [any CodingKey] { codingPath + [IndexKey(intValue: count)] }

    private func append(_ value: AvroValue) { storage.append().content = .value(value) }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { slot.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.content = .value(.double(value)) }
    mutating func encode(_ value: Float) throws { slot.content = .value(.float(value)) }
    mutating func encode(_ value: Int) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { slot.content = .value(.integer(value)) }
    mutating func encode(_ value: UInt) throws { slot.content = .value(try Slot.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt8) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { slot.content = .value(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { slot.content = .value(try Slot.integer(value, codingPath: codingPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try slot.store(value, codingPath: codingPath)
    }
}
