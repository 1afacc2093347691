/// Code that sees every record a producer sends and every outcome, in the spirit of the Java
/// client's `ProducerInterceptor`: for auditing, enriching headers, counting, or tracing and
/// metrics of your own.
///
/// Configure them in order with ``ProducerConfiguration/interceptors``; see
/// <doc:Observability#Interceptors>.
///
/// ```swift
/// struct StampOrigin: ProducerInterceptor {
///     func onSend(_ record: ProducerRecord) throws -> ProducerRecord {
///         var record = record
///         record.headers.append(ProducerRecord.Header(name: "origin", value: "billing"))
///         return record
///     }
/// }
/// ```
///
/// **onSend** runs on the sending task, before the record is enqueued (and before a tracer's
/// span starts), once per record: in the configured order, each interceptor receiving what
/// the one before it returned. A record waiting for room in a full queue is not intercepted
/// again when it retries. If one throws, the record is **refused**: it is not sent, the
/// interceptors after it do not see it, and the send fails with
/// ``KafkaError/Code/interceptor``, whose message names the interceptor and its error.
///
/// **onAcknowledgement** is called once per interceptor, in the configured order, for every
/// record handed to the producer while it has interceptors: with its delivery report, with
/// its delivery failure, or with the error that refused it before librdkafka took it (a full
/// queue after the enqueue timeout, cancellation, shutdown, an interceptor's refusal). It sees
/// awaited sends, batches and fire-and-forget records alike; ``DeliveryOutcome/correlationID``
/// is the one given to ``KafkaProducer/enqueue(_:correlationID:)``, 0 for the other sends.
/// For a record librdkafka accepted it runs where the producer handles reports, before the
/// sender is resumed or the outcome reaches ``KafkaProducer/deliveryReports`` (other records'
/// senders, reported in the same event, may already have been resumed): on the producer's
/// delivery thread, or, as in C's producer loop, on a thread that is sending, inside one of
/// its send calls. Every other record's outcome waits for it, so the call must be quick and
/// must not block (hand slow work to a task or queue of your own). For a refused record it runs on the
/// sending task, before the send throws. It cannot throw, so it cannot change any outcome.
/// The one exception: a record librdkafka still had not reported when shutdown had to destroy
/// its handle is not shown to interceptors (its sender is failed, or it is counted in
/// ``KafkaProducer/droppedDeliveryReports``).
///
/// Both methods have empty default implementations; implement the one you need. A producer
/// without interceptors pays one check per send for this feature.
public protocol ProducerInterceptor: Sendable {
    /// Returns the record to send in place of `record`: the same, or changed (its topic,
    /// partition, key, value, headers or timestamp).
    ///
    /// - Throws: Any error, to refuse the record: the send fails with
    ///   ``KafkaError/Code/interceptor`` naming this interceptor and the error.
    func onSend(_ record: ProducerRecord) throws -> ProducerRecord

    /// Sees one record's outcome: delivered, failed, or refused before it was enqueued.
    func onAcknowledgement(_ outcome: DeliveryOutcome)
}

extension ProducerInterceptor {
    /// Sends the record unchanged.
    public func onSend(_ record: ProducerRecord) throws -> ProducerRecord { record }

    /// Does nothing.
    public func onAcknowledgement(_ outcome: DeliveryOutcome) {}
}
