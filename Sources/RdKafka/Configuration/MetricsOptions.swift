import CoreMetrics

extension ProducerConfiguration {
    /// Where and under which names a producer exports its metrics to swift-metrics.
    ///
    /// Labels start with ``labelPrefix`` (`kafka.producer` by default):
    ///
    /// | Label | Kind | Dimensions | Source |
    /// | --- | --- | --- | --- |
    /// | `kafka.producer.records.sent` | counter | `topic` | records transmitted to brokers (statistics; a retry counts again) |
    /// | `kafka.producer.records.delivered` | counter | `topic` | records acknowledged (delivery reports) |
    /// | `kafka.producer.records.failed` | counter | `topic` | records that failed (delivery reports) |
    /// | `kafka.producer.queue.records` | gauge | `topic` | records queued locally, not yet sent (statistics) |
    /// | `kafka.producer.inflight.records` | gauge | `topic` | records sent, awaiting the broker's answer (statistics) |
    /// | `kafka.producer.requests.retries` | counter | | produce and other requests retried (statistics) |
    /// | `kafka.producer.requests.errors` | counter | | request errors and timeouts (statistics) |
    /// | `kafka.producer.acknowledgement.latency` | timer | | from `send` to the broker's acknowledgement, one sample per delivery event |
    ///
    /// Delivery counts are added once per delivery event (a produce request's worth of
    /// records), not once per record, so exporting does not slow the delivery path. The values
    /// from statistics are updated every ``ProducerConfiguration/statisticsInterval`` (5 s
    /// unless set).
    public struct MetricsOptions: Sendable {
        /// The start of every label, without a trailing dot.
        public var labelPrefix: String

        /// The factory that makes the metrics, or `nil` for `MetricsSystem.factory` as it is
        /// when the producer is created.
        public var factory: (any MetricsFactory)?

        /// Creates options that export under `labelPrefix` through `factory`.
        public init(labelPrefix: String = "kafka.producer", factory: (any MetricsFactory)? = nil) {
            self.labelPrefix = labelPrefix
            self.factory = factory
        }
    }
}
