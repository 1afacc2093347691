import Foundation
import RdKafka
import RdKafkaProtobuf
import RdKafkaSchemaRegistry
import TestSupport
import Testing

/// Avro, Protobuf and JSON Schema records written through the registry serializers to tansu,
/// read back by confluent-kafka-python's AvroDeserializer, ProtobufDeserializer and
/// JSONDeserializer, which find the writer's schema in the same registry by the id in each
/// record. One subject name strategy each.
@Suite(
    "Real broker: registry-serialized records decoded by Confluent's deserializers",
    .enabled(if: RegistryEnvironment.isUsable, "\(RegistryEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct RegistryReadBackTests {
    let broker = BrokerEnvironment.current!
    let registry = RegistryEnvironment.current!

    struct Payment: Encodable {
        var id: Int64
        var amount: Double
        var note: String?
    }

    struct Person: Encodable {
        var name: String
        var age: Int
    }

    static let payment = #"""
        {"type": "record", "name": "Payment", "namespace": "shop", "fields": [
            {"name": "id", "type": "long"}, {"name": "amount", "type": "double"},
            {"name": "note", "type": ["null", "string"], "default": null}]}
        """#

    static let person = #"""
        {"title": "shop.Person", "type": "object", "additionalProperties": false, "required": ["name", "age"],
         "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}
        """#

    @Test("Each format and each subject name strategy decodes to the values sent")
    func confluentDeserializersReadBack() async throws {
        let topic = BrokerEnvironment.uniqueTopic("registry-serialized")
        var configuration = SchemaRegistryConfiguration(urls: [registry.url])
        configuration.maxRetries = 0
        let client = try SchemaRegistryClient(configuration: configuration)
        var producerConfiguration = ProducerConfiguration(bootstrapServers: [broker.plain])
        producerConfiguration.linger = .milliseconds(1)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: quietLogger)
        let context = SerializationContext(topic: topic, part: .value)
        func header(_ format: String, _ strategy: String) -> [ProducerRecord.Header] {
            [.init(name: "format", value: format), .init(name: "strategy", value: strategy)]
        }

        let avro = try AvroRegistrySerializer<Payment>(registry: client, schema: Self.payment)
        _ = try await producer.serializing(keys: StringSerializer(), values: try await avro.resolved(for: context))
            .send(key: "avro", value: Payment(id: 7, amount: 12.5, note: "first"), to: topic, headers: header("avro", "topic"))

        let protobuf = try ProtobufRegistrySerializer<ShopOrder>(
            registry: client, file: .descriptor(ShopOrder.descriptor), settings: .init(subjectNameStrategy: .recordName))
        _ = try await producer.serializing(keys: StringSerializer(), values: try await protobuf.resolved(for: context))
            .send(key: "protobuf", value: ShopOrder(id: 42, item: "book"), to: topic, headers: header("protobuf", "record"))

        let json = try JSONSchemaRegistrySerializer<Person>(
            registry: client, schema: Self.person, settings: .init(subjectNameStrategy: .topicRecordName))
        _ = try await producer.serializing(keys: StringSerializer(), values: try await json.resolved(for: context))
            .send(key: "json", value: Person(name: "ada", age: 36), to: topic, headers: header("json", "topic-record"))
        await producer.shutdown()

        let ids = (
            avro: try await client.lookUp(Schema(Self.payment), under: "\(topic)-value").id,
            protobuf: try await client.latestVersion(of: "shop.Order").id,
            json: try await client.lookUp(Schema(Self.person, type: .json), under: "\(topic)-shop.Person").id
        )
        let output = try await RegistryEnvironment.runScript("registry-decode-back", [broker.plain, topic, "3", registry.url])
        guard case .array(let records) = try JSONDecoder().decode(JSONValue.self, from: output) else {
            Issue.record("registry-decode-back printed \(String(decoding: output, as: UTF8.self))")
            return
        }
        func record(_ key: String) -> JSONValue? { records.first { $0["key"] == .string(key) } }
        #expect(records.count == 3)
        #expect(
            record("avro")
                == .object([
                    "key": .string("avro"), "format": .string("avro"), "strategy": .string("topic"), "schemaID": .number(Double(ids.avro)),
                    "value": .object(["id": .number(7), "amount": .number(12.5), "note": .string("first")]),
                ]))
        #expect(
            record("protobuf")
                == .object([
                    "key": .string("protobuf"), "format": .string("protobuf"), "strategy": .string("record"),
                    "schemaID": .number(Double(ids.protobuf)),
                    // The protobuf package's JSON mapping writes 64-bit integers as strings.
                    "value": .object(["id": .string("42"), "item": .string("book")]),
                ]))
        #expect(
            record("json")
                == .object([
                    "key": .string("json"), "format": .string("json"), "strategy": .string("topic-record"),
                    "schemaID": .number(Double(ids.json)),
                    "value": .object(["name": .string("ada"), "age": .number(36)]),
                ]))
    }
}
