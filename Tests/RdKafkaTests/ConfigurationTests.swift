import Testing

@testable import RdKafka

@Suite("ProducerConfiguration")
struct ConfigurationTests {
    func properties(_ adjust: (inout ProducerConfiguration) -> Void) throws -> [String: String] {
        var configuration = ProducerConfiguration(bootstrapServers: ["a:9092", "b:9092"])
        adjust(&configuration)
        return Dictionary(try configuration.librdkafkaProperties().map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("Only set fields and the library's own defaults reach librdkafka, under their keys")
    func defaultsAreLibrdkafkas() throws {
        let properties = try properties { _ in }
        // sticky.partitioning.linger.ms 0 lets the library give keyless records their turns.
        #expect(
            properties == [
                "bootstrap.servers": "a:9092,b:9092", "client.id": "swift-rdkafka", "enable.idempotence": "false",
                "security.protocol": "plaintext", "sticky.partitioning.linger.ms": "0",
            ])
    }

    @Test("Every typed field maps to its librdkafka key")
    func typedFields() throws {
        let properties = try properties {
            $0.acks = .all
            $0.compression = .zstd
            $0.compressionLevel = 3
            $0.linger = .milliseconds(7)
            $0.batchSize = 65536
            $0.batchMaxRecords = 500
            $0.queueMaxRecords = 1000
            $0.queueMaxKilobytes = 2048
            $0.messageMaxBytes = 2_000_000
            $0.deliveryTimeout = .seconds(30)
            $0.requestTimeout = .seconds(5)
            $0.retries = 3
            $0.retryBackoff = .milliseconds(250)
            $0.maxInFlightRequestsPerConnection = 5
            $0.partitioner = .murmur2Random
        }
        #expect(properties["acks"] == "-1")
        #expect(properties["compression.codec"] == "zstd")
        #expect(properties["compression.level"] == "3")
        #expect(properties["linger.ms"] == "7")
        #expect(properties["batch.size"] == "65536")
        #expect(properties["batch.num.messages"] == "500")
        #expect(properties["queue.buffering.max.messages"] == "1000")
        #expect(properties["queue.buffering.max.kbytes"] == "2048")
        #expect(properties["message.max.bytes"] == "2000000")
        #expect(properties["message.timeout.ms"] == "30000")
        #expect(properties["request.timeout.ms"] == "5000")
        #expect(properties["retries"] == "3")
        #expect(properties["retry.backoff.ms"] == "250")
        #expect(properties["max.in.flight"] == "5")
        #expect(properties["partitioner"] == "murmur2_random")
    }

    @Test("The escape hatch overrides typed fields")
    func additionalPropertiesWin() throws {
        var configuration = ProducerConfiguration(bootstrapServers: ["a:9092"])
        configuration.linger = .milliseconds(7)
        configuration.additionalProperties["linger.ms"] = "9"
        let ordered = try configuration.librdkafkaProperties()
        #expect(ordered.last { $0.key == "linger.ms" }?.value == "9")
    }

    @Test("Durations become whole milliseconds, rounded up so 1 µs is not 0")
    func milliseconds() {
        #expect(ProducerConfiguration.milliseconds(.seconds(2)) == "2000")
        #expect(ProducerConfiguration.milliseconds(.microseconds(1)) == "1")
        #expect(ProducerConfiguration.milliseconds(.microseconds(1500)) == "2")
        #expect(ProducerConfiguration.milliseconds(.zero) == "0")
        #expect(ProducerConfiguration.milliseconds(.milliseconds(-5)) == "-5")
    }

    @Test("acks values brokers refuse are refused here", arguments: ["7", "2", "leader"])
    func invalidRawAcks(value: String) {
        let error = #expect(throws: KafkaError.self) { try properties { $0.additionalProperties["acks"] = value } }
        #expect(error?.configurationKey == "acks")
    }

    @Test("Idempotence contradictions name the key")
    func idempotenceContradictions() {
        let retries = #expect(throws: KafkaError.self) {
            try properties {
                $0.enableIdempotence = true; $0.retries = 0
            }
        }
        #expect(retries?.configurationKey == "retries")
        #expect(throws: Never.self) {
            try properties {
                $0.enableIdempotence = true; $0.acks = .all; $0.maxInFlightRequestsPerConnection = 5
            }
        }
    }

    @Test("Our own settings are checked too")
    func ownSettings() {
        let buffer = #expect(throws: KafkaError.self) { try properties { $0.deliveryReportBufferSize = 0 } }
        #expect(buffer?.configurationKey == "deliveryReportBufferSize")
        let timeout = #expect(throws: KafkaError.self) { try properties { $0.enqueueTimeout = .seconds(-1) } }
        #expect(timeout?.configurationKey == "enqueueTimeout")
    }
}
