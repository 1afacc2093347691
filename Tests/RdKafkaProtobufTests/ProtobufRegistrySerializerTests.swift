import RdKafkaSchemaRegistry
import SwiftProtobuf
import Testing

@testable import RdKafkaProtobuf

/// The message indexes a registry header carries are found in the file descriptor by the
/// message's full name, as Confluent's serializers find them.
@Suite("Protobuf registry serializer")
struct ProtobufRegistrySerializerTests {
    typealias File = ProtobufRegistrySerializer<Google_Protobuf_Timestamp>.ProtoFile

    func message(_ name: String, nested: [Google_Protobuf_DescriptorProto] = []) -> Google_Protobuf_DescriptorProto {
        var message = Google_Protobuf_DescriptorProto()
        message.name = name
        message.nestedType = nested
        return message
    }

    func file(package: String, _ messages: [Google_Protobuf_DescriptorProto]) -> Google_Protobuf_FileDescriptorProto {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "test.proto"
        file.package = package
        file.messageType = messages
        return file
    }

    @Test("A top-level message's index is its position in the file")
    func topLevel() throws {
        let descriptor = file(package: "google.protobuf", [message("Duration"), message("Timestamp")])
        #expect(try File.descriptor(descriptor).messageIndexes == [1])
    }

    @Test("A nested message's indexes go from the top-level message down")
    func nested() throws {
        // google.protobuf.Timestamp as the second type nested in message `protobuf` of package `google`.
        let descriptor = file(package: "google", [message("Any"), message("protobuf", nested: [message("Other"), message("Timestamp")])])
        #expect(try File.descriptor(descriptor).messageIndexes == [1, 1])
    }

    @Test("A descriptor that does not define the message is refused, naming it")
    func missingMessage() throws {
        let registry = try SchemaRegistryClient(configuration: .init(urls: ["http://127.0.0.1:1"]))
        let descriptor = file(package: "shop", [message("Order")])
        let error = #expect(throws: SchemaRegistryError.self) {
            try ProtobufRegistrySerializer<Google_Protobuf_Timestamp>(registry: registry, file: try .descriptor(descriptor))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("google.protobuf.Timestamp") == true)
    }
}
