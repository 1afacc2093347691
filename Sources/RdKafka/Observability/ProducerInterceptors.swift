/// A producer's configured interceptors, in order; exists only when there is at least one, so
/// that a producer without any checks one optional per send and nothing per report.
final class ProducerInterceptors: Sendable {
    private let interceptors: [any ProducerInterceptor]

    init?(_ interceptors: [any ProducerInterceptor]) {
        guard !interceptors.isEmpty else { return nil }
        self.interceptors = interceptors
    }

    /// Runs every `onSend` in order. A refusal is acknowledged to every interceptor and thrown
    /// as ``KafkaError/Code/interceptor`` naming the interceptor.
    func onSend(_ record: ProducerRecord, correlationID: UInt64? = nil) throws(KafkaError) -> ProducerRecord {
        var record = record
        for interceptor in interceptors {
            do {
                record = try interceptor.onSend(record)
            } catch {
                let refusal = KafkaError(
                    code: .interceptor,
                    message: "the producer interceptor \(String(reflecting: type(of: interceptor))) refused the record: \(error)",
                    topic: record.topic,
                    partition: record.partition,
                    correlationID: correlationID
                ).notPersisted()
                acknowledge(refusal: refusal)
                throw refusal
            }
        }
        return record
    }

    /// Tells every interceptor about a record refused before librdkafka took it.
    func acknowledge(refusal: KafkaError) {
        acknowledge(DeliveryOutcome(correlationID: refusal.correlationID ?? 0, result: .failure(refusal)))
    }

    /// Tells every interceptor about one outcome: where the reports are served (the drain
    /// thread or a sending one) for a record librdkafka reported, just before its sender hears
    /// of it.
    func acknowledge(_ outcome: DeliveryOutcome) {
        for interceptor in interceptors { interceptor.onAcknowledgement(outcome) }
    }
}
