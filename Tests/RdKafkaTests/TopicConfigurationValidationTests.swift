import RdKafka
import Testing

@Suite("Per-topic settings are checked when the producer is created")
struct TopicConfigurationValidationTests {
    func refusal(_ adjust: (inout ProducerConfiguration) -> Void) -> KafkaError? {
        var configuration = ProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
        adjust(&configuration)
        do {
            let producer = try KafkaProducer(configuration: configuration)
            _ = producer
            return nil
        } catch {
            return error as? KafkaError
        }
    }

    @Test("A value librdkafka refuses names the key and the topic")
    func badValue() {
        let error = refusal {
            var topic = TopicConfiguration()
            topic.compression = Compression(rawValue: "bogus")
            $0.topics["orders"] = topic
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.configurationKey == "compression.codec")
        #expect(error?.topic == "orders")
    }

    @Test("A producer-level key among a topic's properties is refused, naming it")
    func notATopicKey() {
        let error = refusal {
            var topic = TopicConfiguration()
            topic.additionalProperties["linger.ms"] = "5"
            $0.topics["orders"] = topic
        }
        #expect(error?.configurationKey == "linger.ms")
        #expect(error?.topic == "orders")
    }

    @Test("Idempotence with a topic's acks other than all is refused")
    func idempotenceNeedsAcksAll() {
        let error = refusal {
            $0.enableIdempotence = true
            var topic = TopicConfiguration()
            topic.acks = .leader
            $0.topics["orders"] = topic
        }
        #expect(error?.configurationKey == "acks")
        #expect(error?.message.contains("orders") == true)
    }

    @Test("A topic's delivery timeout not longer than linger is refused")
    func timeoutAboveLinger() {
        let error = refusal {
            $0.linger = .milliseconds(50)
            var topic = TopicConfiguration()
            topic.deliveryTimeout = .milliseconds(50)
            $0.topics["orders"] = topic
        }
        #expect(error?.configurationKey == "message.timeout.ms")
    }

    @Test("An illegal topic name among the settings is refused")
    func illegalName() {
        let error = refusal { $0.topics["no spaces"] = TopicConfiguration() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.topic == "no spaces")
    }

    @Test("Valid settings for several topics are accepted")
    func valid() {
        #expect(
            refusal {
                var topic = TopicConfiguration()
                topic.acks = .leader
                topic.deliveryTimeout = .seconds(5)
                topic.compression = .lz4
                topic.partitioner = .murmur2Random
                topic.additionalProperties["compression.level"] = "3"
                $0.topics["orders"] = topic
                $0.topics["clicks"] = TopicConfiguration()
            } == nil)
    }
}
