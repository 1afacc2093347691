internal import CRdKafka

extension MockClusterHandle {
    /// Makes metadata answers about `topic` carry `code` (0 clears it); creates the topic if needed.
    package func setTopicError(_ code: Int32, topic: String) {
        rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(rawValue: code))
    }
}
