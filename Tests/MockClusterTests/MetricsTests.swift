import Metrics
import MetricsTestKit
import RdKafka
import Testing

@Suite("Metrics", .timeLimit(.minutes(3)))
struct MetricsTests {
    @Test("After 100,000 records the counters, gauges and latency timer say what happened")
    func hundredThousandRecords() async throws {
        let metrics = TestMetrics()
        let fixture = try ClusterFixture(partitions: 3)
        let producer = try fixture.producer {
            $0.metrics = .init(factory: metrics)
            $0.statisticsInterval = .milliseconds(100)
        }
        let results = await producer.send(contentsOf: (0..<100_000).map { fixture.record("value-\($0)") })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        // Metrics are updated from a document before it is published, so once a document shows
        // everything sent and nothing queued, the metrics show it too.
        for await statistics in producer.statistics where statistics.recordsSent >= 100_000 && statistics.queuedRecords == 0 {
            break
        }
        await producer.shutdown()

        let topic = [("topic", fixture.topic)]
        print(MetricsSample(metrics, topic: fixture.topic).lines.joined(separator: "\n"))
        #expect(metrics.counterTotal(label: "kafka.producer.records.sent", dimensions: topic) == 100_000)
        #expect(metrics.counterTotal(label: "kafka.producer.records.delivered", dimensions: topic) == 100_000)
        #expect(metrics.counters(label: "kafka.producer.records.failed").allSatisfy { $0.totalValue == 0 })
        #expect(try metrics.expectGauge("kafka.producer.queue.records", topic).lastValue == 0)
        #expect(try metrics.expectGauge("kafka.producer.inflight.records", topic).lastValue == 0)
        let latency = try metrics.expectTimer("kafka.producer.acknowledgement.latency")
        #expect(!latency.values.isEmpty)
        #expect(latency.values.allSatisfy { $0 > 0 })
        // Counted per delivery event, not per record.
        #expect(try metrics.expectCounter("kafka.producer.records.delivered", topic).values.count < 100_000)
    }

    @Test("A record the broker refuses is counted as failed under its topic, under the configured prefix")
    func failedRecordsCounted() async throws {
        let metrics = TestMetrics()
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer { $0.metrics = .init(labelPrefix: "orders.producer", factory: metrics) }
        for index in 0..<3 { _ = try await producer.send(fixture.record("\(index)")) }
        // MESSAGE_TOO_LARGE is not retried, so the next produce request fails its record.
        fixture.cluster.pushRequestErrors([KafkaError.Code(rawValue: 10)])
        await #expect(throws: KafkaError.self) { try await producer.send(fixture.record("refused")) }
        await producer.shutdown()
        let topic = [("topic", fixture.topic)]
        #expect(metrics.counterTotal(label: "orders.producer.records.delivered", dimensions: topic) == 3)
        #expect(metrics.counterTotal(label: "orders.producer.records.failed", dimensions: topic) == 1)
        #expect(metrics.counters(label: "kafka.producer.records.delivered").isEmpty)
    }
}

/// The producer's metrics as printed lines: the sample whose figures Benchmarks/README.md gives.
struct MetricsSample {
    var lines: [String] = []

    init(_ metrics: TestMetrics, topic: String) {
        let dimensions = [("topic", topic)]
        for label in ["records.sent", "records.delivered", "records.failed"] {
            let total = metrics.counterTotal(label: "kafka.producer.\(label)", dimensions: dimensions)
            lines.append("kafka.producer.\(label){topic=\(topic)} counter \(total)")
        }
        for label in ["requests.retries", "requests.errors"] {
            lines.append("kafka.producer.\(label) counter \(metrics.counterTotal(label: "kafka.producer.\(label)"))")
        }
        for label in ["queue.records", "inflight.records"] {
            let gauge = try? metrics.expectGauge("kafka.producer.\(label)", dimensions)
            let values = gauge?.values ?? []
            lines.append(
                "kafka.producer.\(label){topic=\(topic)} gauge last \(Int(gauge?.lastValue ?? -1)), peak \(Int(values.max() ?? -1)) over \(values.count) documents"
            )
        }
        if let timer = try? metrics.expectTimer("kafka.producer.acknowledgement.latency") {
            let sorted = timer.values.sorted()
            func milliseconds(_ nanoseconds: Int64) -> String { String(format: "%.2f ms", Double(nanoseconds) / 1_000_000) }
            lines.append(
                "kafka.producer.acknowledgement.latency timer \(sorted.count) samples, min \(milliseconds(sorted.first ?? 0)), median \(milliseconds(sorted[sorted.count / 2])), max \(milliseconds(sorted.last ?? 0))"
            )
        }
    }
}
