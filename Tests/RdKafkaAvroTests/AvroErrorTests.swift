import Foundation
import Logging
import RdKafka
import RdKafkaAvro
import Testing

@Suite("Avro errors name the place")
struct AvroErrorTests {
    struct Line: Encodable {
        var sku: String
        var quantity: Int
    }

    struct Order: Encodable {
        var id: String
        var lines: [Line]
    }

    let orderSchema = #"""
        {"type": "record", "name": "Order", "fields": [
            {"name": "id", "type": "string"},
            {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"}]}}}]}
        """#

    func mismatch<Value: Encodable>(_ value: Value, _ schema: String) throws -> AvroError? {
        let serializer = AvroSerializer<Value>(schema: try AvroSchema(parsing: schema))
        do {
            _ = try serializer.encode(value)
            return nil
        } catch let error as AvroError {
            return error
        }
    }

    @Test("An int out of range names the field path")
    func intOutOfRange() throws {
        let order = Order(id: "o", lines: [Line(sku: "a", quantity: 1), Line(sku: "b", quantity: 1 << 40)])
        let error = try #require(try mismatch(order, orderSchema))
        #expect(error.kind == .mismatch)
        #expect(error.path == "lines[1].quantity")
        #expect(error.message.contains("does not fit Avro's 32-bit int"))
    }

    struct Wrong: Encodable {
        var id: Int
        var lines: [Line] = []
    }

    @Test("A wrong type, a missing field and an unknown field are each named")
    func wrongMissingUnknown() throws {
        let wrong = try #require(try mismatch(Wrong(id: 5), orderSchema))
        #expect(wrong.path == "id")
        #expect(wrong.message == "expected string, got the integer 5")

        let missing = try #require(try mismatch(["id": "o"], orderSchema))
        #expect(missing.path == "lines")
        #expect(missing.message.contains("missing"))

        let unknown = try #require(try mismatch(["id": "o", "colour": "red"], orderSchema))
        #expect(unknown.path == "colour")
        #expect(unknown.message.contains("has no field \"colour\""))
    }

    @Test("nil for a non-null type, an unknown enum symbol and a wrong fixed size are refused")
    func unionsEnumsFixed() throws {
        #expect(try mismatch(String?.none, #"["string", "int"]"#)?.message.contains("has no null branch") == true)
        #expect(try mismatch(true, #"["null", "string"]"#)?.message.contains("fits no branch") == true)
        let symbol = try mismatch("CLUBS", #"{"type": "enum", "name": "Suit", "symbols": ["SPADES"]}"#)
        #expect(symbol?.message.contains("\"CLUBS\" is not a symbol of enum Suit") == true)
        let fixed = try mismatch(Data([1]), #"{"type": "fixed", "name": "F", "size": 2}"#)
        #expect(fixed?.message == "fixed F takes exactly 2 bytes, got 1")
    }

    @Test("Invalid schemas are refused with the place named")
    func invalidSchemas() {
        func schemaError(_ text: String) -> AvroError? {
            do {
                _ = try AvroSchema(parsing: text)
                return nil
            } catch {
                return error
            }
        }
        #expect(schemaError("{").map(\.kind) == .invalidSchema)
        #expect(schemaError(#""decimal""#)?.message == "unknown type \"decimal\"")
        let field = schemaError(#"{"type": "record", "name": "R", "fields": [{"name": "x", "type": "Nope"}]}"#)
        #expect(field?.path == "x")
        #expect(schemaError(#"{"type": "record", "name": "R"}"#)?.message.contains("no \"fields\"") == true)
        #expect(schemaError(#"{"type": "enum", "name": "E", "symbols": []}"#)?.kind == .invalidSchema)
        #expect(schemaError(#"[["null"]]"#)?.message.contains("may not directly contain a union") == true)
    }

    @Test("Through the typed producer, an Avro mismatch is a SERIALIZATION KafkaError naming topic and path")
    func asKafkaError() async throws {
        // Never connects: the record is refused before anything is enqueued.
        let producer = try KafkaProducer(
            configuration: .init(bootstrapServers: ["localhost:1"]),
            logger: Logger(label: "quiet", factory: { _ in SwiftLogNoOpLogHandler() }))
        let front = producer.serializing(
            keys: StringSerializer(), values: AvroSerializer<Wrong>(schema: try AvroSchema(parsing: orderSchema)))
        let error = #expect(throws: KafkaError.self) { try front.record(key: "k", value: Wrong(id: 1), to: "orders") }
        #expect(error?.code == .serialization)
        #expect(error?.topic == "orders")
        #expect(error?.message.contains("the value could not be serialized") == true)
        #expect(error?.message.contains("at id: expected string") == true)
        await producer.shutdown()
    }
}
