internal import RdKafkaBridge

extension KafkaProducer {
    /// Asks a broker how many partitions `topic` has and which broker leads each.
    ///
    /// ```swift
    /// let metadata = try await producer.metadata(forTopic: "orders")
    /// print(metadata.partitionCount, metadata.partitions.map { $0.leader ?? -1 })
    /// ```
    ///
    /// The answer is fresh from a broker, not librdkafka's cache. Like a first send to the topic,
    /// the request makes a broker that creates topics on demand create it (unless
    /// `allow.auto.create.topics` is `false` in ``ProducerConfiguration/additionalProperties``).
    /// The call does not occupy a thread of Swift's cooperative pool while it waits; cancelling
    /// the task does not end the wait early, `timeout` does.
    ///
    /// - Parameters:
    ///   - topic: The topic's name.
    ///   - timeout: How long to wait for a broker's answer; not negative.
    /// - Returns: The topic's partitions with their leaders and replicas.
    /// - Throws: ``KafkaError`` naming the topic: ``KafkaError/Code/unknownTopicOrPartition`` if
    ///   the topic does not exist (and was not created); ``KafkaError/Code/transport`` if no
    ///   broker could be reached within `timeout`, ``KafkaError/Code/timedOut`` if one was but did
    ///   not answer in time; ``KafkaError/Code/invalidArgument`` for an illegal topic name or a
    ///   negative timeout; ``KafkaError/Code/shutdown`` after ``shutdown(flushTimeout:)``.
    public func metadata(forTopic topic: String, timeout: Duration = .seconds(10)) async throws -> TopicMetadata {
        guard timeout >= .zero else {
            throw KafkaError(
                code: .invalidArgument, message: "the metadata timeout must not be negative, but it is \(timeout)", topic: topic)
        }
        let milliseconds = timeout.librdkafkaTimeout
        // rd_kafka_metadata blocks: it runs on the blocking executor, inside the handleAlive
        // gate, which keeps shutdown from destroying the handle under it.
        let layout = try await core.runBlocking { $0.topicLayout(named: topic, milliseconds: milliseconds) }
        switch layout {
        case .success(let layout):
            return TopicMetadata(
                topic: topic,
                partitions: layout.partitions.map {
                    TopicMetadata.Partition(
                        id: $0.id, leader: $0.leader >= 0 ? $0.leader : nil, replicas: $0.replicas, inSyncReplicas: $0.inSyncReplicas)
                })
        case .failure(let native):
            var error = KafkaError(native)
            switch error.code {
            case .invalidRecord:
                error.code = .invalidArgument  // the topic name: not a record here
            case .unknownTopicOrPartition, .unknownTopic:
                error.message = "topic '\(topic)' does not exist, and the broker did not create it"
            case .transport:
                error.message = "no broker could be reached within \(timeout)"
            case .timedOut:
                error.message = "no broker answered the metadata request within \(timeout)"
            default:
                break
            }
            throw error
        }
    }
}
