extension ProducerConfiguration {
    /// What the producer's topic handles are created with: the producer-wide Swift partitioner.
    /// Checked here, before librdkafka's handle exists, so that a refusal leaks nothing.
    func topicSettings() throws(KafkaError) -> TopicSettingsTable {
        var table = TopicSettingsTable()
        table.defaults.partitioner = partitioner?.custom?.callback()
        return table
    }
}
