internal import RdKafkaBridge

extension ProducerConfiguration {
    /// What the producer's topic handles are created with: the producer-wide Swift partitioner
    /// and each topic's own settings. Checked here, before librdkafka's handle exists, so that
    /// a refusal leaks nothing.
    func topicSettings() throws(KafkaError) -> TopicSettingsTable {
        var table = TopicSettingsTable()
        table.defaults.partitioner = partitioner?.custom?.callback()
        for name in topics.keys.sorted() {
            let topic = topics[name]!
            try check(topic, named: name)
            let settings = TopicSettings(properties: topic.librdkafkaProperties, partitioner: topic.partitioner?.custom?.callback())
            try bridged { () throws(NativeError) in try settings.validate(topic: name) }
            table.byTopic[name] = settings
        }
        return table
    }

    /// What librdkafka checks only when the topic is first used (and then reports in its log
    /// alone): contradictions between a topic's settings and the producer's.
    private func check(_ topic: TopicConfiguration, named name: String) throws(KafkaError) {
        func refuse(_ key: String, _ message: String) -> KafkaError {
            KafkaError(code: .invalidConfiguration, message: "topic '\(name)': \(message)", configurationKey: key, topic: name)
        }
        if let problem = ProducerClient.problem(withTopicName: name) {
            throw KafkaError(code: .invalidConfiguration, message: "topics: \(problem)", topic: name)
        }
        if let acks = topic.acks, acks != .all, enableIdempotence || transactionalID != nil {
            throw refuse("acks", "idempotence (or a transactional id) requires acks=all, but the topic's acks is \(acks)")
        }
        if let timeout = topic.deliveryTimeout {
            if let linger, timeout != .zero, timeout <= linger {
                throw refuse("message.timeout.ms", "the delivery timeout (\(timeout)) must be longer than linger (\(linger))")
            }
            // librdkafka's default transaction.timeout.ms is 60 s.
            let transactionTimeout = self.transactionTimeout ?? .seconds(60)
            if transactionalID != nil, timeout > transactionTimeout {
                throw refuse(
                    "message.timeout.ms",
                    "a transactional producer's delivery timeout (\(timeout)) must not exceed its transaction timeout (\(transactionTimeout))"
                )
            }
        }
    }
}
