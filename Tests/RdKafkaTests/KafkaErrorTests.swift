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

    @Test("Only a record certainly not written is safe to resend; the description says which it is")
    func persistence() {
        var error = KafkaError(code: .messageTimedOut, message: "late", topic: "t")
        #expect(error.persistence == nil)
        #expect(!error.isSafeToResend)
        error.persistence = .notPersisted
        #expect(error.isSafeToResend)
        #expect(error.description.contains("notPersisted"))
        error.persistence = .possiblyPersisted
        #expect(!error.isSafeToResend)
        #expect(error.description.contains("possiblyPersisted"))
        error.persistence = .persisted
        #expect(!error.isSafeToResend)
    }

    @Test("The handed-back record takes part in equality, and can be set and cleared")
    func handedBackRecord() {
        var error = KafkaError(code: .purgedFromQueue, message: "purged")
        let plain = error
        error.record = ProducerRecord(topic: "t", key: "k", value: "v")
        #expect(error.record?.key == Array("k".utf8))
        #expect(error != plain)
        var same = plain
        same.record = ProducerRecord(topic: "t", key: "k", value: "v")
        #expect(error == same)
        #expect(error.hashValue == same.hashValue)
        error.record = nil
        #expect(error == plain)
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
