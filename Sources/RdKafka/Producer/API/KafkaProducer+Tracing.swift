import Tracing

extension KafkaProducer {
    /// Sends one record inside a producer span, and puts the span's context into the record's
    /// headers so that whoever reads the record can continue the trace.
    ///
    /// ``send(_:)`` calls this with the configured tracer (``ProducerConfiguration/tracer``);
    /// call it directly to trace with another one. The span is a child of the task's current
    /// `ServiceContext`, of kind `producer`, named `send <topic>`, and carries OpenTelemetry's
    /// messaging attributes:
    ///
    /// - `messaging.system` = `kafka`, `messaging.operation.type` = `send` (and the older
    ///   `messaging.operation` = `publish`), `messaging.operation.name` = `send`
    /// - `messaging.destination.name`: the topic
    /// - `messaging.kafka.message.key`: the key, when it is UTF-8 text
    /// - `messaging.kafka.destination.partition` and `messaging.kafka.offset`: where the record
    ///   was written, once acknowledged
    ///
    /// A failed send records the error on the span and sets its status to error. The tracer
    /// writes the context into the headers with its own propagation format; an OpenTelemetry
    /// tracer writes the W3C `traceparent` (and `tracestate`) headers, which consumers in any
    /// language understand. Headers of the same names already on the record are replaced.
    ///
    /// Interceptors (``ProducerConfiguration/interceptors``) run before the span starts.
    ///
    /// - Returns: Where the record was written, as ``send(_:)`` does.
    /// - Throws: What ``send(_:)`` throws.
    public func send(_ record: ProducerRecord, tracer: some Tracer) async throws -> DeliveryReport {
        guard let interceptors = core.interceptors else { return try await sendTraced(record, tracer: tracer) }
        return try await sendTraced(interceptors.onSend(record), tracer: tracer)
    }

    /// ``send(_:tracer:)`` after the interceptors.
    func sendTraced(_ record: ProducerRecord, tracer: some Tracer) async throws -> DeliveryReport {
        try await tracer.withSpan("send \(record.topic)", ofKind: .producer) { span in
            let record = Self.trace(record, as: "send", in: span, tracer: tracer)
            let report: DeliveryReport
            do {
                report = try await sendUntraced(record)
            } catch {
                // withSpan records the error; the status says the operation failed.
                span.setStatus(SpanStatus(code: .error, message: "\(error)"))
                throw error
            }
            span.attributes["messaging.kafka.destination.partition"] = Int(report.partition)
            if let offset = report.offset { span.attributes["messaging.kafka.offset"] = Int(offset) }
            return report
        }
    }

    /// ``enqueue(_:correlationID:)`` after the interceptors, inside a `send <topic>` producer
    /// span that lasts until librdkafka has the record (its outcome comes later, on
    /// ``deliveryReports``), with the span's context in the record's headers.
    func enqueueTraced(_ record: ProducerRecord, correlationID: UInt64, tracer: some Tracer) async throws(KafkaError) {
        let span = tracer.startSpan("send \(record.topic)", ofKind: .producer)
        defer { span.end() }
        let record = Self.trace(record, as: "send", in: span, tracer: tracer)
        do throws(KafkaError) {
            try await handOver(record, as: Self.route(record, correlationID: correlationID))
        } catch {
            Self.fail(span, with: error)
            throw error
        }
    }

    /// ``tryEnqueue(_:correlationID:)`` after the interceptors, inside a `send <topic>` producer
    /// span that lasts until librdkafka has the record, with the span's context in its headers.
    func tryEnqueueTraced(_ record: ProducerRecord, correlationID: UInt64, tracer: some Tracer) throws(KafkaError) {
        let span = tracer.startSpan("send \(record.topic)", ofKind: .producer)
        defer { span.end() }
        do throws(KafkaError) {
            try tryEnqueueOnce(Self.trace(record, as: "send", in: span, tracer: tracer), correlationID: correlationID)
        } catch {
            Self.fail(span, with: error)
            throw error
        }
    }

    /// Sets the messaging attributes for `record` on `span`, whose operation is `operation`
    /// (`send` or `create`), and returns the record with the span's context in its headers.
    static func trace(_ record: ProducerRecord, as operation: String, in span: any Span, tracer: some Tracer) -> ProducerRecord {
        span.attributes["messaging.system"] = "kafka"
        if operation == "send" { span.attributes["messaging.operation"] = "publish" }
        span.attributes["messaging.operation.type"] = operation
        span.attributes["messaging.operation.name"] = operation
        span.attributes["messaging.destination.name"] = record.topic
        if let key = record.key, let text = String(validating: key, as: UTF8.self) {
            span.attributes["messaging.kafka.message.key"] = text
        }
        var record = record
        var carrier = TraceHeaders()
        tracer.inject(span.context, into: &carrier, using: TraceHeaders.Injector())
        record.headers.removeAll { header in carrier.headers.contains { $0.name == header.name } }
        record.headers += carrier.headers
        return record
    }

    /// Marks `span` failed with `error`.
    static func fail(_ span: any Span, with error: KafkaError) {
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error, message: "\(error)"))
    }
}

/// The headers a tracer writes a span context into.
struct TraceHeaders {
    var headers: [ProducerRecord.Header] = []

    struct Injector: Tracing.Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout TraceHeaders) {
            carrier.headers.append(ProducerRecord.Header(name: key, value: value))
        }
    }
}
