import Foundation
import RdKafka
import RdKafkaAvro
import Testing

/// Recursive schemas end: a default that would repeat forever is refused when the schema is
/// parsed, and a value nested past the limit is refused with the path where it was reached,
/// so that neither a schema nor a value can exhaust the stack.
@Suite("Avro recursion ends")
struct AvroRecursionTests {
    @Test("A recursive field whose default lacks that field is refused at parse time, naming it")
    func endlessDefaultRefused() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"next","type":"R","default":{}}]}"#
        let error = try #require(throws: AvroError.self) { try AvroSchema(parsing: schema) }
        #expect(error.kind == .invalidSchema)
        #expect(error.path.hasPrefix("R.next"))
        #expect(error.message.contains("the default of R.next never ends"))
    }

    @Test("A default that ends through a union with null is accepted and written")
    func endingDefaultAccepted() throws {
        let schema = try AvroSchema(
            parsing: #"""
                {"type":"record","name":"R","fields":[
                    {"name":"id","type":"int"},
                    {"name":"next","type":["null","R"],"default":null}]}
                """#)
        struct Only: Encodable { var id: Int32 }
        #expect(try AvroSerializer<Only>(schema: schema).encode(Only(id: 1)) == [0x02, 0x00])
    }

    @Test("A default that does not fit its field's type is refused at parse time")
    func mistypedDefaultRefused() throws {
        let schema = #"{"type":"record","name":"R","fields":[{"name":"n","type":"int","default":"seven"}]}"#
        let error = try #require(throws: AvroError.self) { try AvroSchema(parsing: schema) }
        #expect(error.kind == .invalidSchema)
        #expect(error.path == "R.n")
        #expect(error.message.contains("the default is not a valid int"))
    }

    @Test("A bytes default written as a string of code points 0 to 255, as the specification has it, is written")
    func bytesDefaultFromString() throws {
        let schema = try AvroSchema(
            parsing: #"{"type":"record","name":"R","fields":[{"name":"b","type":"bytes","default":"\u00ffA"}]}"#)
        struct Empty: Encodable {}
        #expect(try AvroSerializer<Empty>(schema: schema).encode(Empty()) == [0x04, 0xFF, 0x41])
    }

    final class Node: Encodable {
        let value: Int32
        let next: Node?

        init(value: Int32, next: Node?) {
            self.value = value
            self.next = next
        }
    }

    static let listSchema = #"""
        {"type":"record","name":"Node","fields":[
            {"name":"value","type":"int"},
            {"name":"next","type":["null","Node"],"default":null}]}
        """#

    static func list(length: Int) -> Node {
        (1..<length).reduce(Node(value: 0, next: nil)) { next, value in Node(value: Int32(value), next: next) }
    }

    @Test("A value nested past maximumNestingDepth is refused with the path where the limit was reached")
    func deepValueRefused() throws {
        let serializer = AvroSerializer<Node>(schema: try AvroSchema(parsing: Self.listSchema))
        let error = try #require(throws: AvroError.self) {
            try serializer.encode(Self.list(length: AvroSchema.maximumNestingDepth + 10))
        }
        #expect(error.kind == .tooDeep)
        // The first field of the record at the limit, inside as many "next" fields as the limit.
        #expect(error.path == String(repeating: "next.", count: AvroSchema.maximumNestingDepth) + "value")
    }

    @Test("A value nested up to the limit is written")
    func valueAtTheLimitWritten() throws {
        let serializer = AvroSerializer<Node>(schema: try AvroSchema(parsing: Self.listSchema))
        let bytes = try serializer.encode(Self.list(length: AvroSchema.maximumNestingDepth))
        // Each node: its value (below 64, one zig-zag byte) and the union's branch (1 for the
        // next node, 0 for the last one's null).
        #expect(bytes.count == 2 * AvroSchema.maximumNestingDepth)
    }
}
