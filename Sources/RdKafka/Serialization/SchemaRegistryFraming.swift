/// The header Confluent Schema Registry serializers put before a payload: a zero magic byte, the
/// schema id as 4 bytes big-endian, and for Protobuf the path to the message type in its file.
///
/// Registry-aware consumers read the header to find the writer's schema. The id is the one the
/// registry assigned when the schema was registered. The `RdKafkaSchemaRegistry` product's
/// serializers find it and build this framing; use it directly when you manage ids yourself.
///
/// ```swift
/// SchemaRegistryFraming(schemaID: 7).header                   // [0, 0, 0, 0, 7]
/// SchemaRegistryFraming(schemaID: 7, messageIndexes: [0]).header  // [0, 0, 0, 0, 7, 0]
/// ```
public struct SchemaRegistryFraming: Sendable, Hashable {
    /// The registry's id of the writer's schema.
    public var schemaID: UInt32
    /// For Protobuf only: the index of the message type among its file's top-level messages,
    /// then of each nested type down to it (`[0]` is the file's first message). `nil` for JSON
    /// and Avro, which carry no indexes.
    public var messageIndexes: [Int]?

    /// Creates a framing.
    ///
    /// - Parameters:
    ///   - schemaID: The registry's id of the schema.
    ///   - messageIndexes: For Protobuf, the message type's path; `nil` for JSON and Avro.
    public init(schemaID: UInt32, messageIndexes: [Int]? = nil) {
        self.schemaID = schemaID
        self.messageIndexes = messageIndexes
    }

    /// The header bytes: 0, the id big-endian, then the message indexes if any.
    ///
    /// The indexes are written as a count and the indexes, each a zig-zag varint, except that
    /// the common `[0]` is shortened to the single byte 0, as the registry's serializers do.
    public var header: [UInt8] {
        var bytes: [UInt8] = [0]
        withUnsafeBytes(of: schemaID.bigEndian) { bytes.append(contentsOf: $0) }
        guard let messageIndexes else { return bytes }
        if messageIndexes == [0] {
            bytes.append(0)
            return bytes
        }
        bytes.appendZigZagVarint(Int64(messageIndexes.count))
        for index in messageIndexes { bytes.appendZigZagVarint(Int64(index)) }
        return bytes
    }

    /// Returns the header followed by `payload`.
    public func frame(_ payload: some Sequence<UInt8>) -> [UInt8] {
        var bytes = header
        bytes.append(contentsOf: payload)
        return bytes
    }
}
