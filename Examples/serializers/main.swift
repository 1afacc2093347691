import Foundation
import RdKafka
import RdKafkaAvro

// Typed keys and values: a big-endian Int64 key, and the same value as JSON and as Avro.
struct Reading: Codable {
    var sensor: String
    var celsius: Double?
    var takenAt: Date
}

let schema = try AvroSchema(
    parsing: """
        {"type": "record", "name": "Reading", "fields": [
            {"name": "sensor", "type": "string"},
            {"name": "celsius", "type": ["null", "double"]},
            {"name": "takenAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}
        """)

let cluster = try MockCluster(brokers: 1)
let producer = try KafkaProducer(configuration: ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers]))
let asJSON = producer.serializing(keys: BigEndianIntegerSerializer<Int64>(), values: JSONSerializer<Reading>())
let asAvro = producer.serializing(
    keys: BigEndianIntegerSerializer<Int64>(),
    values: AvroSerializer<Reading>(schema: schema, framing: SchemaRegistryFraming(schemaID: 42))
)

let reading = Reading(sensor: "greenhouse", celsius: 21.5, takenAt: Date())
let json = try await asJSON.send(key: 7, value: reading, to: "readings-json")
let avro = try await asAvro.send(key: 7, value: reading, to: "readings-avro")
print("JSON at offset \(json.offset ?? -1), Avro at offset \(avro.offset ?? -1)")

await producer.shutdown()
withExtendedLifetime(cluster) {}
