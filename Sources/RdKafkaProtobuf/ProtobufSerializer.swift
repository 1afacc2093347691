public import RdKafka
public import SwiftProtobuf

/// Writes Protobuf messages in their binary wire format with SwiftProtobuf.
///
/// With `framing`, each message is preceded by the Confluent Schema Registry header, whose
/// ``SchemaRegistryFraming/messageIndexes`` locate the message type in its `.proto` file
/// (`[0]`, the file's first message, when omitted).
///
/// ```swift
/// let serializer = ProtobufSerializer<Google_Protobuf_Timestamp>(framing: .init(schemaID: 3, messageIndexes: [0]))
/// ```
public struct ProtobufSerializer<Message: SwiftProtobuf.Message>: KafkaSerializer {
    /// The registry header to put before each message, or `nil` for the bare message.
    public var framing: SchemaRegistryFraming?

    /// Creates a serializer.
    ///
    /// - Parameter framing: A registry header to put before each message, or `nil`. A framing
    ///   without message indexes gets `[0]`, which registry deserializers require for Protobuf.
    public init(framing: SchemaRegistryFraming? = nil) {
        if var framing, framing.messageIndexes == nil {
            framing.messageIndexes = [0]
            self.framing = framing
        } else {
            self.framing = framing
        }
    }

    /// Returns the message's binary encoding, after the registry header if there is one.
    ///
    /// - Throws: SwiftProtobuf's `BinaryEncodingError` when a proto2 required field is unset.
    public func serialize(_ value: Message, in context: SerializationContext) throws -> [UInt8] {
        let payload: [UInt8] = try value.serializedBytes()
        guard let framing else { return payload }
        return framing.frame(payload)
    }
}
