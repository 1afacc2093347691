extension KafkaProducer {
    /// librdkafka's statistics, decoded, one document every
    /// ``ProducerConfiguration/statisticsInterval``.
    ///
    /// Empty unless the interval (or ``ProducerConfiguration/metrics``) is set. Documents are
    /// decoded off the delivery path, and only while someone reads them or metrics are exported.
    /// Each iteration receives the documents emitted from when it starts until shutdown:
    ///
    /// ```swift
    /// for await statistics in producer.statistics {
    ///     print(statistics.queuedRecords, statistics.recordsSent, statistics.retries)
    /// }
    /// ```
    public var statistics: ProducerStatisticsSequence {
        ProducerStatisticsSequence(broadcast: core.integrations.statistics)
    }
}
