import Foundation
public import RdKafka
public import RdKafkaSchemaRegistry
public import SwiftProtobuf

/// Writes Protobuf messages framed with the id the registry gives their `.proto` file and with
/// the message's indexes in it: what Confluent's `KafkaProtobufSerializer` writes.
///
/// The subject's record name is the message's full name (`package.Message`).
///
/// ```swift
/// let serializer = try ProtobufRegistrySerializer<Shop_Order>(registry: registry, file: .descriptor(orderFile))
/// ```
public struct ProtobufRegistrySerializer<Message: SwiftProtobuf.Message>: SchemaRegistrySerializer {
    /// The `.proto` file a message type is defined in, as the registry is to store it.
    public struct ProtoFile: Sendable {
        let schemaText: String
        let messageIndexes: [Int]?

        /// The file as a `FileDescriptorProto` (from `protoc --descriptor_set_out`, or built in
        /// code), registered in base64 as Confluent's clients register it. The message's
        /// indexes are found in it by the message's full name.
        public static func descriptor(_ file: Google_Protobuf_FileDescriptorProto) throws -> ProtoFile {
            let bytes: [UInt8] = try file.serializedBytes()
            let indexes = Self.indexes(of: Message.protoMessageName, in: file)
            return ProtoFile(schemaText: Data(bytes).base64EncodedString(), messageIndexes: indexes)
        }

        /// The file's `.proto` text, and the message's indexes in it: its position among the
        /// file's top-level messages, then among each nested type down to it (`[0]` for the
        /// first top-level message).
        public static func text(_ text: String, messageIndexes: [Int] = [0]) -> ProtoFile {
            ProtoFile(schemaText: text, messageIndexes: messageIndexes)
        }

        static func indexes(of fullName: String, in file: Google_Protobuf_FileDescriptorProto) -> [Int]? {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            func search(_ messages: [Google_Protobuf_DescriptorProto], scope: String) -> [Int]? {
                for (index, message) in messages.enumerated() {
                    let name = scope + message.name
                    if name == fullName { return [index] }
                    if let inner = search(message.nestedType, scope: name + ".") { return [index] + inner }
                }
                return nil
            }
            return search(file.messageType, scope: prefix)
        }
    }

    private let messageIndexes: [Int]
    private let resolver: SchemaIDResolver

    /// Creates a serializer.
    ///
    /// - Parameters:
    ///   - registry: The registry client; share one between serializers.
    ///   - file: The `.proto` file that defines `Message`.
    ///   - settings: The subject name strategy and which registered schema to use.
    /// - Throws: `SchemaRegistryError` `.invalidConfiguration` when `file` is a descriptor
    ///   that does not define `Message`.
    public init(
        registry: SchemaRegistryClient, file: ProtoFile, settings: SchemaRegistrySerializerSettings = .init()
    ) throws {
        guard let indexes = file.messageIndexes else {
            throw SchemaRegistryError(
                code: .invalidConfiguration, message: "the file descriptor does not define \(Message.protoMessageName)")
        }
        messageIndexes = indexes
        resolver = SchemaIDResolver(
            registry: registry, schema: Schema(file.schemaText, type: .protobuf), recordName: Message.protoMessageName,
            settings: settings)
    }

    /// A ``ProtobufSerializer`` framed with the schema's id for `context`'s subject and the
    /// message's indexes.
    ///
    /// - Throws: `SchemaRegistryError` when the subject cannot be named or the registry
    ///   refuses or cannot be reached.
    public func resolved(for context: SerializationContext) async throws -> ProtobufSerializer<Message> {
        let id = try await resolver.schemaID(for: context)
        return ProtobufSerializer(framing: SchemaRegistryFraming(schemaID: id, messageIndexes: messageIndexes))
    }
}
