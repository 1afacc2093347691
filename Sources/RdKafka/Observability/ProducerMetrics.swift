import CoreMetrics
internal import RdKafkaBridge

/// Turns delivery events and statistics documents into swift-metrics values; the names are
/// documented on ``ProducerConfiguration/MetricsOptions``.
///
/// Metric objects are made once per topic and kept, so an event costs a few counter updates,
/// not a factory call.
final class ProducerMetrics: Sendable {
    private struct TopicDeliveryMetrics {
        let delivered: Counter
        let failed: Counter
    }

    private struct TopicStatisticsMetrics {
        let sent: Counter
        let queued: Gauge
        let inFlight: Gauge
        var lastSent = 0
    }

    private struct StatisticsState {
        var topics: [String: TopicStatisticsMetrics] = [:]
        var lastRetries = 0
        var lastErrors = 0
    }

    private let prefix: String
    private let factory: any MetricsFactory
    private let latency: Timer
    private let retries: Counter
    private let errors: Counter
    /// Touched only by the thread serving reports, one at a time, but locked so the type needs
    /// no unchecked promise.
    private let deliveryMetrics = LockedValue<[String: TopicDeliveryMetrics]>([:])
    private let statisticsState = LockedValue(StatisticsState())

    init(options: ProducerConfiguration.MetricsOptions) {
        prefix = options.labelPrefix
        factory = options.factory ?? MetricsSystem.factory
        latency = Timer(label: "\(prefix).acknowledgement.latency", factory: factory)
        retries = Counter(label: "\(prefix).requests.retries", factory: factory)
        errors = Counter(label: "\(prefix).requests.errors", factory: factory)
    }

    /// Counts one delivery event's outcomes: one increment per run of records of one topic.
    func record(_ messages: UnsafeMutableBufferPointer<DeliveredMessage>) {
        guard let first = messages.first else { return }
        var topic = first.topic
        var delivered = 0
        var failed = 0
        deliveryMetrics.withLock { metrics in
            for message in messages {
                if message.topic != topic {
                    add(delivered: delivered, failed: failed, topic: topic, to: &metrics)
                    (topic, delivered, failed) = (message.topic, 0, 0)
                }
                if message.errorCode == nil { delivered += 1 } else { failed += 1 }
            }
            add(delivered: delivered, failed: failed, topic: topic, to: &metrics)
        }
    }

    private func add(delivered: Int, failed: Int, topic: String, to metrics: inout [String: TopicDeliveryMetrics]) {
        let topicMetrics: TopicDeliveryMetrics
        if let known = metrics[topic] {
            topicMetrics = known
        } else {
            let dimensions = [("topic", topic)]
            topicMetrics = TopicDeliveryMetrics(
                delivered: Counter(label: "\(prefix).records.delivered", dimensions: dimensions, factory: factory),
                failed: Counter(label: "\(prefix).records.failed", dimensions: dimensions, factory: factory)
            )
            metrics[topic] = topicMetrics
        }
        if delivered > 0 { topicMetrics.delivered.increment(by: delivered) }
        if failed > 0 { topicMetrics.failed.increment(by: failed) }
    }

    /// One acknowledgement's latency, sampled once per delivery event.
    func recordAcknowledgementLatency(microseconds: Int64) {
        latency.recordMicroseconds(microseconds)
    }

    /// Updates the gauges and adds the counters' growth since the previous document.
    func record(_ statistics: ProducerStatistics) {
        statisticsState.withLock { state in
            for topic in statistics.topics {
                var metrics = state.topics[topic.name] ?? makeStatisticsMetrics(topic: topic.name)
                let sent = topic.partitions.reduce(0) { $0 + $1.recordsSent }
                if sent > metrics.lastSent { metrics.sent.increment(by: sent - metrics.lastSent) }
                metrics.lastSent = sent
                metrics.queued.record(topic.partitions.reduce(0) { $0 + $1.queuedRecords })
                metrics.inFlight.record(topic.partitions.reduce(0) { $0 + $1.inFlightRecords })
                state.topics[topic.name] = metrics
            }
            if statistics.retries > state.lastRetries { retries.increment(by: statistics.retries - state.lastRetries) }
            if statistics.errors > state.lastErrors { errors.increment(by: statistics.errors - state.lastErrors) }
            state.lastRetries = statistics.retries
            state.lastErrors = statistics.errors
        }
    }

    private func makeStatisticsMetrics(topic: String) -> TopicStatisticsMetrics {
        let dimensions = [("topic", topic)]
        return TopicStatisticsMetrics(
            sent: Counter(label: "\(prefix).records.sent", dimensions: dimensions, factory: factory),
            queued: Gauge(label: "\(prefix).queue.records", dimensions: dimensions, factory: factory),
            inFlight: Gauge(label: "\(prefix).inflight.records", dimensions: dimensions, factory: factory)
        )
    }
}
