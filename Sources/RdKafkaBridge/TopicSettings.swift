internal import CRdKafka

/// What one topic's handle is created with beyond the producer's own settings: topic-level
/// librdkafka keys and a partitioner callback, applied to the topic's own `rd_kafka_topic_conf_t`.
package struct TopicSettings: Sendable {
    /// Topic-level librdkafka keys and values (`acks`, `message.timeout.ms`, ...), in order.
    package var properties: [(key: String, value: String)]
    /// A partitioner written in Swift, or `nil` for librdkafka's (named by `partitioner`).
    package var partitioner: PartitionerCallback?

    package init(properties: [(key: String, value: String)] = [], partitioner: PartitionerCallback? = nil) {
        self.properties = properties
        self.partitioner = partitioner
    }

    var isEmpty: Bool { properties.isEmpty && partitioner == nil }

    /// Checks every key and value with librdkafka on a scratch topic configuration, so that a
    /// refused one fails the producer's creation rather than the first send to the topic.
    package func validate(topic: String) throws(NativeError) {
        let configuration = rd_kafka_topic_conf_new()!
        defer { rd_kafka_topic_conf_destroy(configuration) }
        try apply(to: configuration, topic: topic)
    }

    /// Sets the keys on `configuration`, then the partitioner.
    func apply(to configuration: OpaquePointer, topic: String) throws(NativeError) {
        var reason = ReasonBuffer()
        for (key, value) in properties {
            let result = reason.withPointer { rd_kafka_topic_conf_set(configuration, key, value, $0, $1) }
            guard result == RD_KAFKA_CONF_OK else {
                throw NativeError(
                    code: NativeErrorCode.invalidConfiguration,
                    message: "topic '\(topic)': \(reason.text)",
                    configurationKey: key,
                    topic: topic
                )
            }
        }
        partitioner?.install(on: configuration)
    }
}

/// The topic settings of one producer: those every topic gets and those of named topics.
package struct TopicSettingsTable: Sendable {
    /// Applied to every topic (a producer-wide Swift partitioner).
    package var defaults = TopicSettings()
    /// Applied to the named topics, after ``defaults``.
    package var byTopic: [String: TopicSettings] = [:]

    package init() {}

    /// The settings for `topic`: the defaults, then the topic's own. A topic that names one of
    /// librdkafka's partitioners does not get the producer-wide Swift one.
    package func settings(forTopic topic: String) -> TopicSettings {
        guard let own = byTopic[topic] else { return defaults }
        let namesPartitioner = own.properties.contains { $0.key == "partitioner" }
        return TopicSettings(
            properties: defaults.properties + own.properties,
            partitioner: own.partitioner ?? (namesPartitioner ? nil : defaults.partitioner)
        )
    }
}

extension ProducerClient {
    /// Creates librdkafka's handle for topic `name`, through a configuration of its own when it
    /// has settings (a copy of the producer's default topic configuration with them applied).
    /// Called once per topic, under the topic cache's lock.
    func makeTopicHandle(named name: String) -> Result<OpaquePointer, NativeError> {
        let settings = topicSettings.settings(forTopic: name)
        var configuration: OpaquePointer?
        if !settings.isEmpty {
            guard let copy = rd_kafka_default_topic_conf_dup(handle.pointer) else {
                return .failure(
                    NativeError(
                        code: NativeErrorCode.invalidConfiguration, message: "librdkafka could not copy the topic configuration",
                        topic: name))
            }
            do {
                try settings.apply(to: copy, topic: name)
            } catch {
                rd_kafka_topic_conf_destroy(copy)
                return .failure(error)
            }
            configuration = copy
        }
        // librdkafka takes the configuration over, whether or not it creates the topic.
        guard let topic = rd_kafka_topic_new(handle.pointer, name, configuration) else {
            var error = NativeError(rd_kafka_last_error(), topic: name)
            if configuration != nil {
                error.message = "librdkafka refused topic '\(name)''s settings (its log says why): \(error.message)"
            }
            return .failure(error)
        }
        return .success(topic)
    }
}
