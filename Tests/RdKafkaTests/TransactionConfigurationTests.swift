import Testing

@testable import RdKafka

@Suite("ProducerConfiguration: transactions")
struct TransactionConfigurationTests {
    func properties(_ adjust: (inout ProducerConfiguration) -> Void) throws -> [String: String] {
        var configuration = ProducerConfiguration(bootstrapServers: ["a:9092"])
        adjust(&configuration)
        return Dictionary(try configuration.librdkafkaProperties().map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("A transactional id sets its key and the timeout, and turns idempotence on")
    func transactionalIDImpliesIdempotence() throws {
        let properties = try properties {
            $0.transactionalID = "orders-writer"
            $0.transactionTimeout = .seconds(15)
        }
        #expect(properties["transactional.id"] == "orders-writer")
        #expect(properties["transaction.timeout.ms"] == "15000")
        #expect(properties["enable.idempotence"] == "true")
    }

    @Test("Settings that contradict a transactional id are refused, naming the key")
    func contradictionsNameTheKey() {
        let idempotenceOff = #expect(throws: KafkaError.self) {
            try properties {
                $0.transactionalID = "t"
                $0.additionalProperties["enable.idempotence"] = "false"
            }
        }
        #expect(idempotenceOff?.configurationKey == "enable.idempotence")
        #expect(idempotenceOff?.code == .invalidConfiguration)
        let acks = #expect(throws: KafkaError.self) {
            try properties {
                $0.transactionalID = "t"
                $0.acks = .leader
            }
        }
        #expect(acks?.configurationKey == "acks")
        #expect(acks?.message.contains("transactional.id") == true)
        let empty = #expect(throws: KafkaError.self) { try properties { $0.transactionalID = "" } }
        #expect(empty?.configurationKey == "transactional.id")
        let timeoutAlone = #expect(throws: KafkaError.self) { try properties { $0.transactionTimeout = .seconds(5) } }
        #expect(timeoutAlone?.configurationKey == "transaction.timeout.ms")
    }

}
