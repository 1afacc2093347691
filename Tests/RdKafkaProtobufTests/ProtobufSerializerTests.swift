import RdKafka
import RdKafkaProtobuf
import SwiftProtobuf
import Testing

@Suite("Protobuf serializer")
struct ProtobufSerializerTests {
    let context = SerializationContext(topic: "t", part: .value)
    let timestamp = Google_Protobuf_Timestamp(seconds: 1, nanos: 2)

    @Test("A message is its binary wire format: field 1 varint 1, field 2 varint 2")
    func bareMessage() throws {
        #expect(try ProtobufSerializer<Google_Protobuf_Timestamp>().serialize(timestamp, in: context) == [0x08, 0x01, 0x10, 0x02])
    }

    @Test("Framing writes 0, the id, then the message indexes; [0] is one 0 byte and the default")
    func framed() throws {
        let first = ProtobufSerializer<Google_Protobuf_Timestamp>(framing: .init(schemaID: 3))
        #expect(first.framing?.messageIndexes == [0])
        #expect(try first.serialize(timestamp, in: context) == [0, 0, 0, 0, 3, 0, 0x08, 0x01, 0x10, 0x02])
        let nested = ProtobufSerializer<Google_Protobuf_Timestamp>(framing: .init(schemaID: 3, messageIndexes: [1, 0]))
        #expect(try nested.serialize(timestamp, in: context) == [0, 0, 0, 0, 3, 4, 2, 0, 0x08, 0x01, 0x10, 0x02])
    }

    @Test("The bytes parse back into an equal message")
    func roundTrip() throws {
        var structure = Google_Protobuf_Struct()
        structure.fields["name"] = Google_Protobuf_Value(stringValue: "ada")
        structure.fields["age"] = Google_Protobuf_Value(numberValue: 36)
        let bytes = try ProtobufSerializer<Google_Protobuf_Struct>().serialize(structure, in: context)
        #expect(try Google_Protobuf_Struct(serializedBytes: bytes) == structure)
    }
}
