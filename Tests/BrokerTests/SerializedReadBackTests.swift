import Foundation
import RdKafka
import RdKafkaAvro
import RdKafkaProtobuf
import SwiftProtobuf
import TestSupport
import Testing

/// One JSON, one Avro and one Protobuf record, written to the real broker with registry framing,
/// read back by kafka-python and decoded by Python's json, fastavro and the protobuf package.
@Suite(
    "Real broker: serialized records decoded independently",
    .enabled(if: BrokerEnvironment.isUsable, "\(BrokerEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct SerializedReadBackTests {
    let broker = BrokerEnvironment.current!

    struct Event: Encodable {
        var name: String
        var count: Int
        var ratio: Double
    }

    enum Unit: String, Encodable { case celsius = "CELSIUS", fahrenheit = "FAHRENHEIT" }

    struct Reading: Encodable {
        var sensor: String
        var unit: Unit
        var values: [Double]
        var labels: [String: String]
        var note: String?
        var day: Date
        var takenAt: Date
    }

    static let readingSchema = #"""
        {"type": "record", "name": "Reading", "namespace": "sensors", "fields": [
            {"name": "sensor", "type": "string"},
            {"name": "unit", "type": {"type": "enum", "name": "Unit", "symbols": ["CELSIUS", "FAHRENHEIT"]}},
            {"name": "values", "type": {"type": "array", "items": "double"}},
            {"name": "labels", "type": {"type": "map", "values": "string"}},
            {"name": "note", "type": ["null", "string"]},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "takenAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
        """#

    @Test("JSON, Avro and Protobuf records decode to the values sent, with their schema ids")
    func jsonAvroProtobufDecodeBack() async throws {
        let topic = BrokerEnvironment.uniqueTopic("serialized")
        var configuration = ProducerConfiguration(bootstrapServers: [broker.plain])
        configuration.linger = .milliseconds(1)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)

        let events = producer.serializing(keys: StringSerializer(), values: JSONSerializer<Event>(framing: .init(schemaID: 11)))
        _ = try await events.send(
            key: "json", value: Event(name: "signed-in", count: 3, ratio: 0.5), to: topic,
            headers: [.init(name: "format", value: "json")])

        let readings = producer.serializing(
            keys: StringSerializer(),
            values: AvroSerializer<Reading>(schema: try AvroSchema(parsing: Self.readingSchema), framing: .init(schemaID: 12)))
        let reading = Reading(
            sensor: "greenhouse-1", unit: .celsius, values: [21.5, -3.25], labels: ["site": "north"], note: nil,
            day: Date(timeIntervalSince1970: 20_000 * 86_400), takenAt: Date(timeIntervalSince1970: 1_728_000_000.250))
        _ = try await readings.send(key: "avro", value: reading, to: topic, headers: [.init(name: "format", value: "avro")])

        var structure = Google_Protobuf_Struct()
        structure.fields["name"] = Google_Protobuf_Value(stringValue: "ada")
        structure.fields["age"] = Google_Protobuf_Value(numberValue: 36)
        structure.fields["admin"] = Google_Protobuf_Value(boolValue: true)
        let messages = producer.serializing(
            keys: StringSerializer(), values: ProtobufSerializer<Google_Protobuf_Struct>(framing: .init(schemaID: 13)))
        _ = try await messages.send(
            key: "protobuf", value: structure, to: topic, headers: [.init(name: "format", value: "protobuf:google.protobuf.Struct")])
        await producer.shutdown()

        let schemaFile = FileManager.default.temporaryDirectory.appendingPathComponent("reading-\(UUID().uuidString).avsc")
        try Self.readingSchema.write(to: schemaFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: schemaFile) }
        let decoded = try await IndependentDecoder.run(["topic", broker.plain, topic, "3", schemaFile.path])
        guard case .array(let records) = decoded else {
            Issue.record("decode-back printed \(decoded)")
            return
        }
        func record(_ key: String) -> JSONValue? { records.first { $0["key"] == .string(key) } }
        #expect(records.count == 3)
        #expect(
            record("json")
                == (try JSONValue(
                    parsing: #"""
                        {"format": "json", "key": "json", "schemaID": 11, "messageIndexes": null,
                         "value": {"name": "signed-in", "count": 3, "ratio": 0.5}}
                        """#)))
        #expect(
            record("avro")
                == (try JSONValue(
                    parsing: #"""
                        {"format": "avro", "key": "avro", "schemaID": 12, "messageIndexes": null,
                         "value": {"sensor": "greenhouse-1", "unit": "CELSIUS", "values": [21.5, -3.25],
                                   "labels": {"site": "north"}, "note": null, "day": 20000, "takenAt": 1728000000250}}
                        """#)))
        #expect(
            record("protobuf")
                == (try JSONValue(
                    parsing: #"""
                        {"format": "protobuf:google.protobuf.Struct", "key": "protobuf", "schemaID": 13, "messageIndexes": [0],
                         "value": {"name": "ada", "age": 36, "admin": true}}
                        """#)))
    }
}
