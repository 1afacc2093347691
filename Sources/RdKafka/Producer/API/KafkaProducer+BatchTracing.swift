import Tracing

extension KafkaProducer {
    /// ``send(contentsOf:)`` with tracing on, as OpenTelemetry's messaging conventions trace a
    /// batch publish: one `create <topic>` span (kind `producer`, `messaging.operation.type` =
    /// `create`) per record, a child of the task's current context, ended once its context is in
    /// the record's headers; then one `send <topic>` span (`send` when the topics differ; kind
    /// `client`, `messaging.operation.type` = `send`) over the whole batch, linked to every
    /// record's span and carrying `messaging.batch.message_count`. A batch with failed records
    /// has an error status saying how many failed, and records the first error.
    ///
    /// The interceptors run after the headers are written: they see the trace context.
    func sendTraced(contentsOf records: some Collection<ProducerRecord>, tracer: some Tracer) async -> [Result<DeliveryReport, KafkaError>]
    {
        var traced: [ProducerRecord] = []
        traced.reserveCapacity(records.count)
        var links: [SpanLink] = []
        links.reserveCapacity(records.count)
        var topics = Set<String>()
        for record in records {
            let span = tracer.startSpan("create \(record.topic)", ofKind: .producer)
            traced.append(Self.trace(record, as: "create", in: span, tracer: tracer))
            links.append(SpanLink(context: span.context, attributes: [:]))
            span.end()
            topics.insert(record.topic)
        }
        let topic = topics.count == 1 ? topics.first : nil
        return await tracer.withSpan(topic.map { "send \($0)" } ?? "send", ofKind: .client) { span in
            span.attributes["messaging.system"] = "kafka"
            span.attributes["messaging.operation"] = "publish"
            span.attributes["messaging.operation.type"] = "send"
            span.attributes["messaging.operation.name"] = "send"
            if let topic { span.attributes["messaging.destination.name"] = topic }
            span.attributes["messaging.batch.message_count"] = traced.count
            for link in links { span.addLink(link) }
            let outcomes = await sendUntraced(contentsOf: traced)
            let failures = outcomes.compactMap { outcome -> KafkaError? in
                guard case .failure(let error) = outcome else { return nil }
                return error
            }
            if let first = failures.first {
                span.recordError(first)
                span.setStatus(SpanStatus(code: .error, message: "\(failures.count) of \(outcomes.count) records failed"))
            }
            return outcomes
        }
    }
}
