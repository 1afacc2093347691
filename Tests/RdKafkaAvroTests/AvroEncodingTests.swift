import Foundation
import RdKafka
import RdKafkaAvro
import Testing

/// Exact bytes from the Avro specification's examples and its encoding rules.
@Suite("Avro binary encoding")
struct AvroEncodingTests {
    func encode<Value: Encodable>(_ value: Value, _ schema: String) throws -> [UInt8] {
        try AvroSerializer<Value>(schema: AvroSchema(parsing: schema)).encode(value)
    }

    @Test("int and long are zig-zag varints (the specification's table)")
    func zigZag() throws {
        #expect(try encode(Int32(0), #""int""#) == [0x00])
        #expect(try encode(Int32(-1), #""int""#) == [0x01])
        #expect(try encode(Int32(1), #""int""#) == [0x02])
        #expect(try encode(Int32(-2), #""int""#) == [0x03])
        #expect(try encode(Int32(2), #""int""#) == [0x04])
        #expect(try encode(Int32(-64), #""int""#) == [0x7F])
        #expect(try encode(Int32(64), #""int""#) == [0x80, 0x01])
        #expect(try encode(Int64.max, #""long""#) == [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test("Primitives: string, bytes, boolean, float and double little-endian, null writes nothing")
    func primitives() throws {
        #expect(try encode("foo", #""string""#) == [0x06, 0x66, 0x6F, 0x6F])
        #expect(try encode(Data([1, 2]), #""bytes""#) == [0x04, 1, 2])
        #expect(try encode([UInt8]([9]), #""bytes""#) == [0x02, 9])
        #expect(try encode(true, #""boolean""#) == [1])
        #expect(try encode(Float(1), #""float""#) == [0x00, 0x00, 0x80, 0x3F])
        #expect(try encode(Double(-2), #""double""#) == [0, 0, 0, 0, 0, 0, 0x00, 0xC0])
        #expect(try encode(3, #""double""#) == [0, 0, 0, 0, 0, 0, 0x08, 0x40])
        #expect(try encode(Int?.none, #""null""#) == [])
    }

    struct Test: Encodable {
        var a: Int64
        var b: String
    }

    @Test("The specification's record example: {a: 27, b: \"foo\"} is 36 06 66 6f 6f")
    func specRecord() throws {
        let schema = #"{"type": "record", "name": "test", "fields": [{"name": "a", "type": "long"}, {"name": "b", "type": "string"}]}"#
        #expect(try encode(Test(a: 27, b: "foo"), schema) == [0x36, 0x06, 0x66, 0x6F, 0x6F])
    }

    @Test("The specification's array example: [3, 27] is 04 06 36 00; an empty array is one 0")
    func specArray() throws {
        #expect(try encode([Int64(3), 27], #"{"type": "array", "items": "long"}"#) == [0x04, 0x06, 0x36, 0x00])
        #expect(try encode([Int64](), #"{"type": "array", "items": "long"}"#) == [0x00])
    }

    @Test("The specification's union example: null is 00, \"a\" is 02 02 61")
    func specUnion() throws {
        #expect(try encode(String?.none, #"["null", "string"]"#) == [0x00])
        #expect(try encode(String?.some("a"), #"["null", "string"]"#) == [0x02, 0x02, 0x61])
    }

    @Test("Maps are one block of key and value pairs, then 0")
    func map() throws {
        #expect(try encode(["a": Int32(1)], #"{"type": "map", "values": "int"}"#) == [0x02, 0x02, 0x61, 0x02, 0x00])
        #expect(try encode([String: Int32](), #"{"type": "map", "values": "int"}"#) == [0x00])
    }

    enum Suit: String, Encodable { case spades = "SPADES", hearts = "HEARTS" }

    @Test("Enums are the symbol's index; fixed is the raw bytes")
    func enumAndFixed() throws {
        let suit = #"{"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS"]}"#
        #expect(try encode(Suit.hearts, suit) == [0x02])
        #expect(try encode(Data([0xAB, 0xCD]), #"{"type": "fixed", "name": "Two", "size": 2}"#) == [0xAB, 0xCD])
    }

    @Test("date is days and timestamp-millis milliseconds since 1970, from Date or numbers")
    func logicalTypes() throws {
        let date = #"{"type": "int", "logicalType": "date"}"#
        let timestamp = #"{"type": "long", "logicalType": "timestamp-millis"}"#
        #expect(try encode(Date(timeIntervalSince1970: 86_400 * 2 + 5), date) == [0x04])
        #expect(try encode(Date(timeIntervalSince1970: -1), date) == [0x01])  // the day before 1970-01-01
        #expect(try encode(Date(timeIntervalSince1970: 0.064), timestamp) == [0x80, 0x01])
        #expect(try encode(64, timestamp) == [0x80, 0x01])
    }

    struct Node: Encodable {
        var value: Int32
        var next: Box?
        final class Box: Encodable {
            let node: Node
            init(_ node: Node) { self.node = node }
            func encode(to encoder: any Encoder) throws { try node.encode(to: encoder) }
        }
    }

    @Test("A recursive named type refers to itself; a nil optional field is the null branch")
    func recursiveReference() throws {
        let schema = #"""
            {"type": "record", "name": "Node", "namespace": "list", "fields": [
                {"name": "value", "type": "int"},
                {"name": "next", "type": ["null", "list.Node"]}]}
            """#
        let list = Node(value: 1, next: .init(Node(value: 2, next: nil)))
        #expect(try encode(list, schema) == [0x02, 0x02, 0x04, 0x00])
    }

    struct WithDefault: Encodable { var id: Int32 }

    @Test("A field the value lacks gets the schema's default")
    func defaults() throws {
        let schema = #"""
            {"type": "record", "name": "R", "fields": [
                {"name": "id", "type": "int"},
                {"name": "label", "type": "string", "default": "x"},
                {"name": "weight", "type": "double", "default": 0.5},
                {"name": "flag", "type": "boolean", "default": true},
                {"name": "count", "type": "long", "default": 3},
                {"name": "note", "type": ["null", "string"], "default": null}]}
            """#
        #expect(try encode(WithDefault(id: 1), schema) == [0x02, 0x02, 0x78, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0x01, 0x06, 0x00])
    }

    @Test("Registry framing goes before the Avro bytes")
    func framed() throws {
        let serializer = AvroSerializer<String>(schema: try AvroSchema(parsing: #""string""#), framing: .init(schemaID: 258))
        #expect(try serializer.encode("a") == [0, 0, 0, 1, 2, 0x02, 0x61])
    }
}
