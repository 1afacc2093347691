import Foundation
import Testing

@testable import RdKafka

@Suite("Serializers")
struct SerializerTests {
    let context = SerializationContext(topic: "t", part: .value)

    @Test("Integers are written big-endian at their full width, as Java's serializers write them")
    func integersBigEndian() {
        #expect(BigEndianIntegerSerializer<Int32>().serialize(258, in: context) == [0x00, 0x00, 0x01, 0x02])
        #expect(BigEndianIntegerSerializer<Int32>().serialize(-1, in: context) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(BigEndianIntegerSerializer<Int64>().serialize(1, in: context) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(
            BigEndianIntegerSerializer<Int64>().serialize(Int64.min, in: context) == [0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(BigEndianIntegerSerializer<Int16>().serialize(-2, in: context) == [0xFF, 0xFE])
        #expect(BigEndianIntegerSerializer<UInt16>().serialize(0xABCD, in: context) == [0xAB, 0xCD])
    }

    @Test("Strings are UTF-8 without terminator; bytes pass through unchanged")
    func stringsAndBytes() {
        #expect(StringSerializer().serialize("añ€", in: context) == [0x61, 0xC3, 0xB1, 0xE2, 0x82, 0xAC])
        #expect(StringSerializer().serialize("", in: context) == [])
        #expect(BytesSerializer().serialize([0, 255, 7], in: context) == [0, 255, 7])
    }

    struct Order: Encodable {
        var id: Int
        var customerName: String
    }

    @Test("JSON follows the configured encoder")
    func jsonUsesEncoder() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        let bytes = try JSONSerializer<Order>(encoder: encoder).serialize(Order(id: 7, customerName: "Ada"), in: context)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"customer_name":"Ada","id":7}"#)
    }

    @Test("JSON with framing starts with 0 and the schema id big-endian")
    func jsonFramed() throws {
        let bytes = try JSONSerializer<[Int]>(framing: .init(schemaID: 0x0102_0304)).serialize([1], in: context)
        #expect(bytes == [0, 1, 2, 3, 4] + Array("[1]".utf8))
    }

    @Test("JSON refuses a value JSONEncoder cannot write")
    func jsonRefusesNaN() {
        #expect(throws: EncodingError.self) { try JSONSerializer<Double>().serialize(.nan, in: context) }
    }

    @Test("Registry framing: magic byte, id, then Protobuf message indexes as zig-zag varints")
    func framing() {
        #expect(SchemaRegistryFraming(schemaID: 1).header == [0, 0, 0, 0, 1])
        #expect(SchemaRegistryFraming(schemaID: 0xFFFF_FFFF).header == [0, 0xFF, 0xFF, 0xFF, 0xFF])
        // [0], the usual case, is shortened to one 0 byte.
        #expect(SchemaRegistryFraming(schemaID: 9, messageIndexes: [0]).header == [0, 0, 0, 0, 9, 0])
        // [1]: count 1 and index 1, each zig-zag (1 -> 2).
        #expect(SchemaRegistryFraming(schemaID: 9, messageIndexes: [1]).header == [0, 0, 0, 0, 9, 2, 2])
        // [2, 0, 70]: count 3 -> 6; 2 -> 4; 0 -> 0; 70 -> 140 = 0x8C 0x01 as a varint.
        #expect(SchemaRegistryFraming(schemaID: 9, messageIndexes: [2, 0, 70]).header == [0, 0, 0, 0, 9, 6, 4, 0, 0x8C, 0x01])
        #expect(SchemaRegistryFraming(schemaID: 5).frame([0xAA]) == [0, 0, 0, 0, 5, 0xAA])
    }

    @Test("The serialization code has its own name")
    func codeName() {
        #expect(KafkaError.Code.serialization.name == "SERIALIZATION")
        #expect(!KafkaError(code: .serialization, message: "").isRetriable)
    }
}
