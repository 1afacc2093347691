internal import RdKafkaBridge

extension ProducerConfiguration {
    /// What the producer's topic handles are created with: the producer-wide Swift partitioner
    /// and each topic's own settings. Checked here, before librdkafka's handle exists, so that
    /// a refusal leaks nothing.
    func topicSettings() throws(KafkaError) -> TopicSettingsTable {
        var table = TopicSettingsTable()
        table.defaults.partitioner = partitioner?.custom?.callback() ?? keylessRoundRobin(keyedBy: partitioner)
        for name in topics.keys.sorted() {
            let topic = topics[name]!
            try check(topic, named: name)
            let ownPartitioner =
                topic.additionalProperties["partitioner"] == nil
                ? topic.partitioner.flatMap { $0.custom?.callback() ?? keylessRoundRobin(keyedBy: $0) } : nil
            let settings = TopicSettings(properties: topic.librdkafkaProperties, partitioner: ownPartitioner)
            try bridged { () throws(NativeError) in try settings.validate(topic: name) }
            table.byTopic[name] = settings
        }
        return table
    }

    /// The partitioner that gives keyless records the partitions in turn while
    /// ``stickyPartitioningLinger`` is `.zero`, over librdkafka's `partitioner` (its default
    /// when `nil`) for keyed records; `nil` where librdkafka's own placement is asked for: a
    /// sticky linger, either key set through ``additionalProperties``, or a partitioner that
    /// hashes keyless records too (see ``PartitionerCallback/keyed(by:)``).
    ///
    /// Not with a linger of 0 either: then no record waits for a batch, and librdkafka's random
    /// partition per record spreads each burst of sends over every broker at once, where turns
    /// would send it to one partition's leader (1,000 awaiting tasks at linger 0 went from about
    /// 350,000 to 110,000 records a second with turns).
    private func keylessRoundRobin(keyedBy partitioner: Partitioner?) -> PartitionerCallback? {
        guard stickyPartitioningLinger == .zero, linger != .zero,
            additionalProperties["sticky.partitioning.linger.ms"] == nil, additionalProperties["partitioner"] == nil,
            additionalProperties["linger.ms"] == nil, additionalProperties["queue.buffering.max.ms"] == nil
        else { return nil }
        return PartitionerCallback.keyed(by: partitioner?.librdkafkaName ?? Partitioner.consistentRandom.rawValue)
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
