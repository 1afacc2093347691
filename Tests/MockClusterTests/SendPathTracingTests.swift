import InMemoryTracing
import RdKafka
import TestSupport
import Testing
import Tracing

/// Every send path makes spans and writes each record's trace context into its headers, so that
/// a trace goes on past a batched or fire-and-forget send: one span per record (its
/// `traceparent` is what a reader finds), and for a batch a span linked to the records' spans.
@Suite("Tracing every send path", .timeLimit(.minutes(2)))
struct SendPathTracingTests {
    /// The `traceparent` header of each record read back, by value.
    static func traceparents(_ records: [ConsumedRecord]) throws -> [String: String] {
        var byValue: [String: String] = [:]
        for record in records {
            let value = String(decoding: try #require(record.value), as: UTF8.self)
            let header = try #require(record.headers.first { $0.name == "traceparent" }, "no traceparent on \(value)")
            byValue[value] = String(decoding: try #require(header.value), as: UTF8.self)
        }
        return byValue
    }

    static func traceparent(of span: FinishedInMemorySpan) -> String {
        "00-\(span.traceID)-\(span.spanID)-01"
    }

    static func attribute(_ span: FinishedInMemorySpan, _ name: String) -> SpanAttribute? {
        span.attributes[name]?.toSpanAttribute()
    }

    /// The messaging attributes every record span carries.
    static func expectRecordSpan(_ span: FinishedInMemorySpan, operation: String, topic: String, key: String?) {
        #expect(span.operationName == "\(operation) \(topic)")
        #expect(span.kind == .producer)
        #expect(attribute(span, "messaging.system") == "kafka")
        #expect(attribute(span, "messaging.operation.type") == .string(operation))
        #expect(attribute(span, "messaging.operation.name") == .string(operation))
        #expect(attribute(span, "messaging.destination.name") == .string(topic))
        #expect(attribute(span, "messaging.kafka.message.key") == key.map { .string($0) })
        #expect(attribute(span, "messaging.batch.message_count") == nil)
    }

    @Test("send(contentsOf:): a create span per record carried in its headers, and a send span linked to them with the count")
    func batch() async throws {
        let fixture = try ClusterFixture(partitions: 2)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer { $0.tracer = tracer }
        let values = ["b-0", "b-1", "b-2"]
        let parentTraceID = try await tracer.withSpan("handle request") { span in
            let outcomes = await producer.send(contentsOf: values.map { fixture.record($0, key: "key-\($0)") })
            #expect(outcomes.allSatisfy { (try? $0.get()) != nil })
            return try #require(span.context.inMemorySpanContext?.traceID)
        }
        await producer.shutdown()

        let creates = tracer.finishedSpans.filter { $0.operationName.hasPrefix("create ") }
        #expect(creates.count == 3)
        let send = try #require(tracer.finishedSpans.first { $0.operationName == "send \(fixture.topic)" })
        #expect(send.kind == .client)
        #expect(Self.attribute(send, "messaging.system") == "kafka")
        #expect(Self.attribute(send, "messaging.operation.type") == "send")
        #expect(Self.attribute(send, "messaging.destination.name") == .string(fixture.topic))
        #expect(Self.attribute(send, "messaging.batch.message_count") == .int64(3))
        #expect(send.status == nil)
        #expect(send.traceID == parentTraceID)
        #expect(Set(send.links.compactMap { $0.context.inMemorySpanContext?.spanID }) == Set(creates.map(\.spanID)))

        let traceparents = try Self.traceparents(try await fixture.readBack(expecting: 3))
        for value in values {
            let create = try #require(creates.first { Self.traceparent(of: $0) == traceparents[value] }, "no span for \(value)")
            Self.expectRecordSpan(create, operation: "create", topic: fixture.topic, key: "key-\(value)")
            #expect(create.traceID == parentTraceID)
        }
    }

    @Test("send(contentsOf:) with a failed record marks the batch span failed, saying how many")
    func batchWithFailure() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer {
            $0.tracer = tracer
            $0.messageMaxBytes = 1000
        }
        let outcomes = await producer.send(contentsOf: [fixture.record("fits"), fixture.record(String(repeating: "x", count: 5000))])
        await producer.shutdown()
        #expect((try? outcomes[0].get()) != nil)
        let send = try #require(tracer.finishedSpans.first { $0.operationName == "send \(fixture.topic)" })
        #expect(send.status?.code == .error)
        #expect(send.status?.message == "1 of 2 records failed")
        #expect(send.errors.first?.error is KafkaError)
    }

    @Test("enqueue: a send span per record carried in its headers; the outcome still comes on deliveryReports")
    func enqueue() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer { $0.tracer = tracer }
        try await producer.enqueue(fixture.record("enqueued", key: "k"), correlationID: 7)
        var reports = producer.deliveryReports.makeAsyncIterator()
        let report = try #require(await reports.next())
        #expect(report.correlationID == 7)
        #expect((try? report.result.get()) != nil)
        await producer.shutdown()

        let span = try #require(tracer.finishedSpans.first)
        #expect(tracer.finishedSpans.count == 1)
        Self.expectRecordSpan(span, operation: "send", topic: fixture.topic, key: "k")
        #expect(span.status == nil)
        #expect(try Self.traceparents(try await fixture.readBack(expecting: 1)) == ["enqueued": Self.traceparent(of: span)])
    }

    @Test("tryEnqueue: a send span per record carried in its headers; a refused record marks its span failed")
    func tryEnqueue() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer {
            $0.tracer = tracer
            $0.messageMaxBytes = 1000
        }
        try producer.tryEnqueue(fixture.record("tried"), correlationID: 1)
        #expect(throws: KafkaError.self) { try producer.tryEnqueue(fixture.record(String(repeating: "x", count: 5000)), correlationID: 2) }
        try await producer.flush(timeout: .seconds(20))
        await producer.shutdown()

        #expect(tracer.finishedSpans.count == 2)
        let delivered = try #require(tracer.finishedSpans.first { $0.status == nil })
        Self.expectRecordSpan(delivered, operation: "send", topic: fixture.topic, key: nil)
        let refused = try #require(tracer.finishedSpans.first { $0.status != nil })
        #expect(refused.status?.code == .error)
        #expect(refused.errors.first?.error is KafkaError)
        #expect(try Self.traceparents(try await fixture.readBack(expecting: 1)) == ["tried": Self.traceparent(of: delivered)])
    }

    @Test("send(contentsOf:maxInFlight:): a send span per record, a child of the caller's, carried in its headers")
    func sequence() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer { $0.tracer = tracer }
        let values = ["s-0", "s-1", "s-2"]
        let parentTraceID = try await tracer.withSpan("stream") { span in
            let records = AsyncStream<ProducerRecord> { continuation in
                for value in values { continuation.yield(fixture.record(value)) }
                continuation.finish()
            }
            for try await outcome in producer.send(contentsOf: records, maxInFlight: 2) { _ = try outcome.get() }
            return try #require(span.context.inMemorySpanContext?.traceID)
        }
        await producer.shutdown()

        let sends = tracer.finishedSpans.filter { $0.kind == .producer }
        #expect(sends.count == 3)
        let traceparents = try Self.traceparents(try await fixture.readBack(expecting: 3))
        for value in values {
            let span = try #require(sends.first { Self.traceparent(of: $0) == traceparents[value] }, "no span for \(value)")
            Self.expectRecordSpan(span, operation: "send", topic: fixture.topic, key: nil)
            #expect(span.traceID == parentTraceID)
            #expect(Self.attribute(span, "messaging.kafka.offset") != nil)
        }
    }

    @Test("Transaction.send, send(contentsOf:), enqueue and tryEnqueue: each record's span is carried in its headers")
    func transaction() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer {
            $0.tracer = tracer
            $0.transactionalID = "traced"
        }
        try await producer.initTransactions(timeout: .seconds(30))
        try await producer.withTransaction { (transaction: borrowing Transaction) in
            _ = try await transaction.send(fixture.record("t-send"))
            _ = await transaction.send(contentsOf: [fixture.record("t-batch-0"), fixture.record("t-batch-1")])
            try await transaction.enqueue(fixture.record("t-enqueue"))
            try transaction.tryEnqueue(fixture.record("t-try"))
        }
        await producer.shutdown()

        let records = try await TestConsumer.consume(
            topic: fixture.topic, partitions: 1, bootstrapServers: fixture.cluster.bootstrapServers, expecting: 5,
            isolation: "read_committed")
        let traceparents = try Self.traceparents(records)
        let spans = tracer.finishedSpans
        for (value, operation) in [
            ("t-send", "send"), ("t-batch-0", "create"), ("t-batch-1", "create"), ("t-enqueue", "send"), ("t-try", "send"),
        ] {
            let span = try #require(spans.first { Self.traceparent(of: $0) == traceparents[value] }, "no span for \(value)")
            Self.expectRecordSpan(span, operation: operation, topic: fixture.topic, key: nil)
        }
        #expect(spans.contains { Self.attribute($0, "messaging.batch.message_count") == .int64(2) })
    }

    @Test("Without a tracer, no path writes trace headers")
    func noTracerNoHeaders() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        _ = await producer.send(contentsOf: [fixture.record("batch")])
        try await producer.enqueue(fixture.record("enqueue"))
        try producer.tryEnqueue(fixture.record("try"))
        try await producer.flush(timeout: .seconds(20))
        await producer.shutdown()
        let read = try await fixture.readBack(expecting: 3)
        #expect(read.allSatisfy { $0.headers.isEmpty })
    }
}
