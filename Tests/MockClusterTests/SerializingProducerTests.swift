import Foundation
import RdKafka
import TestSupport
import Testing

@Suite("Serializing producer", .timeLimit(.minutes(2)))
struct SerializingProducerTests {
    struct Event: Codable, Equatable {
        var name: String
        var count: Int
    }

    struct FailingSerializer: KafkaSerializer {
        struct Refusal: Error, CustomStringConvertible {
            var description: String { "no thank you" }
        }

        func serialize(_ value: String, in context: SerializationContext) throws -> [UInt8] {
            throw Refusal()
        }
    }

    @Test("Typed keys and values are read back as the bytes their serializers wrote")
    func typedSendReadsBack() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let events = producer.serializing(keys: BigEndianIntegerSerializer<Int64>(), values: JSONSerializer<Event>(encoder: encoder))
        let report = try await events.send(
            key: 42, value: Event(name: "signed-in", count: 3), to: fixture.topic, headers: [.init(name: "h", value: "v")])
        #expect(report.offset == 0)
        try await events.enqueue(key: nil, value: nil, to: fixture.topic, correlationID: 9)
        try await producer.flush(timeout: .seconds(10))
        await producer.shutdown()

        let consumed = try await fixture.readBack(expecting: 2)
        try #require(consumed.count == 2)
        #expect(consumed[0].key == [0, 0, 0, 0, 0, 0, 0, 42])
        #expect(try JSONDecoder().decode(Event.self, from: Data(consumed[0].value ?? [])) == Event(name: "signed-in", count: 3))
        #expect(consumed[0].headers == [ConsumedHeader(name: "h", value: Array("v".utf8))])
        #expect(consumed[1].key == nil)
        #expect(consumed[1].value == nil)
    }

    @Test("A failing serializer throws SERIALIZATION naming topic and part, and nothing is enqueued")
    func failingSerializerEnqueuesNothing() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let failingValues = producer.serializing(keys: StringSerializer(), values: FailingSerializer())
        let valueError = await #expect(throws: KafkaError.self) {
            _ = try await failingValues.send(key: "k", value: "v", to: fixture.topic)
        }
        #expect(valueError?.code == .serialization)
        #expect(valueError?.topic == fixture.topic)
        #expect(valueError?.message.contains("the value could not be serialized") == true)
        #expect(valueError?.message.contains("no thank you") == true)

        let failingKeys = producer.serializing(keys: FailingSerializer(), values: StringSerializer())
        let keyError = await #expect(throws: KafkaError.self) {
            try await failingKeys.enqueue(key: "k", value: "v", to: fixture.topic)
        }
        #expect(keyError?.code == .serialization)
        #expect(keyError?.message.contains("the key could not be serialized") == true)
        #expect(producer.outstandingRecords == 0)

        // The topic holds only the record sent after the failures.
        let report = try await producer.send(fixture.record("after"))
        #expect(report.offset == 0)
        await producer.shutdown()
    }
}
