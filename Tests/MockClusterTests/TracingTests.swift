import RdKafka
import TestSupport
import Testing
import Tracing

@Suite("Tracing sends", .timeLimit(.minutes(2)))
struct TracingTests {
    @Test("A send runs in a producer span with the messaging attributes, and the reader sees its traceparent")
    func spanAndHeaderReachTheReader() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer { $0.tracer = tracer }
        let report = try await producer.send(fixture.record("traced", key: "order-7"))
        await producer.shutdown()

        let span = try #require(tracer.finishedSpans.first)
        #expect(tracer.finishedSpans.count == 1)
        #expect(span.operationName == "send \(fixture.topic)")
        #expect(span.kind == .producer)
        #expect(span.attributes["messaging.system"]?.toSpanAttribute() == "kafka")
        #expect(span.attributes["messaging.operation.type"]?.toSpanAttribute() == "send")
        #expect(span.attributes["messaging.destination.name"]?.toSpanAttribute() == .string(fixture.topic))
        #expect(span.attributes["messaging.kafka.message.key"]?.toSpanAttribute() == "order-7")
        #expect(span.attributes["messaging.kafka.destination.partition"]?.toSpanAttribute() == .int64(Int64(report.partition)))
        #expect(span.attributes["messaging.kafka.offset"]?.toSpanAttribute() == .int64(try #require(report.offset)))
        #expect(span.status == nil)

        let read = try #require(try await fixture.readBack(expecting: 1).first)
        let traceparent = try #require(read.headers.first { $0.name == "traceparent" }?.value)
        #expect(String(decoding: traceparent, as: UTF8.self) == "00-\(span.traceID)-\(span.spanID)-01")
    }

    @Test("A send under a parent span is its child, so the reader continues the caller's trace")
    func sendJoinsTheCallersTrace() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer { $0.tracer = tracer }
        let parentTraceID = try await tracer.withSpan("handle request") { span in
            _ = try await producer.send(fixture.record("child"))
            return try #require(span.context.inMemorySpanContext?.traceID)
        }
        await producer.shutdown()
        let send = try #require(tracer.finishedSpans.first { $0.kind == .producer })
        #expect(send.traceID == parentTraceID)
        let read = try #require(try await fixture.readBack(expecting: 1).first)
        let traceparent = try #require(read.headers.first { $0.name == "traceparent" }?.value)
        #expect(String(decoding: traceparent, as: UTF8.self).hasPrefix("00-\(parentTraceID)-"))
    }

    @Test("A failed send marks its span as an error and records the KafkaError")
    func failedSendMarksSpan() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let tracer = W3CTestTracer()
        let producer = try fixture.producer {
            $0.tracer = tracer
            $0.messageMaxBytes = 1000
        }
        await #expect(throws: KafkaError.self) {
            try await producer.send(fixture.record(String(repeating: "x", count: 5000)))
        }
        await producer.shutdown()
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.status?.code == .error)
        #expect(span.errors.first?.error is KafkaError)
    }

    @Test("Without a tracer (the global one is a no-op) records carry no trace headers")
    func noTracerNoHeaders() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        _ = try await producer.send(fixture.record("untraced"))
        await producer.shutdown()
        let read = try #require(try await fixture.readBack(expecting: 1).first)
        #expect(read.headers.isEmpty)
    }
}
