import Logging
import RdKafka
import TestSupport
import Testing

// The Observability article's interceptor code, verbatim, so that it keeps compiling and doing what it says.

/// Stamps each record with the service that sent it, keeps it off internal topics, and logs
/// every failure.
struct Provenance: ProducerInterceptor {
    let service: String
    let logger: Logger

    func onSend(_ record: ProducerRecord) throws -> ProducerRecord {
        guard !record.topic.hasPrefix("internal.") else { throw RefusedTopic(topic: record.topic) }
        var record = record
        record.headers.append(ProducerRecord.Header(name: "sent-by", value: service))
        return record
    }

    func onAcknowledgement(_ outcome: DeliveryOutcome) {
        if case .failure(let error) = outcome.result { logger.warning("not delivered: \(error)") }
    }
}

struct RefusedTopic: Error {
    var topic: String
}

func provenanceProducer(brokers: [String], logger: Logger) throws -> KafkaProducer {
    var configuration = ProducerConfiguration(bootstrapServers: brokers)
    configuration.interceptors = [Provenance(service: "billing", logger: logger)]
    return try KafkaProducer(configuration: configuration)
}

@Suite("Observability article: interceptors", .timeLimit(.minutes(1)))
struct InterceptorsArticleTests {
    @Test("Provenance stamps what it sends, and refuses internal topics with a typed error naming it")
    func provenanceStampsAndRefuses() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try provenanceProducer(brokers: [fixture.cluster.bootstrapServers], logger: quietLogger)
        _ = try await producer.send(fixture.record("paid"))
        let refusal = try await #require(throws: KafkaError.self) {
            try await producer.send(ProducerRecord(topic: "internal.audit", value: "x"))
        }
        #expect(refusal.code == .interceptor)
        #expect(refusal.message.contains("Provenance"))
        let written = try await fixture.readBack(expecting: 1)
        #expect(written.first?.headers == [ConsumedHeader(name: "sent-by", value: Array("billing".utf8))])
        await producer.shutdown()
    }
}
