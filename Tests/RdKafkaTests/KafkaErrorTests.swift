import RdKafkaBridge
import Testing

@testable import RdKafka

@Suite("KafkaError")
struct KafkaErrorTests {
    @Test("Codes carry librdkafka's names and our own")
    func names() {
        #expect(KafkaError.Code.queueFull.name == "_QUEUE_FULL")
        #expect(KafkaError.Code.messageSizeTooLarge.name == "MSG_SIZE_TOO_LARGE")
        #expect(KafkaError.Code.shutdown.name == "SHUTDOWN")
        #expect(KafkaError.Code(rawValue: 9999).rawValue == 9999)
    }

    @Test("Transient codes are retriable by default, permanent ones are not")
    func retriable() {
        #expect(KafkaError(code: .queueFull, message: "").isRetriable)
        #expect(KafkaError(code: .notLeaderForPartition, message: "").isRetriable)
        #expect(!KafkaError(code: .messageSizeTooLarge, message: "").isRetriable)
        #expect(!KafkaError(code: .invalidConfiguration, message: "").isRetriable)
    }

    @Test("The description names the code, the message and the culprit")
    func description() {
        let error = KafkaError(code: .invalidConfiguration, message: "bad", configurationKey: "linger.ms")
        #expect(error.description == "KafkaError.INVALID_CONFIGURATION: bad [key linger.ms]")
        let record = KafkaError(code: .messageTimedOut, message: "late", topic: "t", partition: 2, correlationID: 5)
        #expect(record.description.contains("topic t, partition 2, correlation 5"))
    }

    @Test(
        "Topic names follow Kafka's rule",
        arguments: [
            ("ok.topic_name-1", true), ("", false), ("..", false), ("a b", false), (String(repeating: "x", count: 250), false),
            (String(repeating: "x", count: 249), true),
        ])
    func topicNames(name: String, legal: Bool) {
        #expect((ProducerClient.problem(withTopicName: name) == nil) == legal)
    }
}
