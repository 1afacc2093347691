internal import RdKafkaBridge

extension ProducerRecord {
    /// Checks a topic name against Kafka's rule, the check every send makes before librdkafka
    /// sees the record: 1 to 249 characters, each an ASCII letter, a digit, `.`, `_` or `-`,
    /// and neither `.` nor `..`.
    ///
    /// For names that come from input (a topic per tenant, a command-line option): checking
    /// once up front refuses a bad name before any record is built, where sending would refuse
    /// every record one by one.
    ///
    /// ```swift
    /// try ProducerRecord.validateTopicName("tenant-\(tenantID).events")
    /// ```
    ///
    /// - Parameter topic: The topic name to check.
    /// - Throws: ``KafkaError`` with code ``KafkaError/Code/invalidRecord`` and ``KafkaError/topic``
    ///   set, saying what is wrong with the name: the error a send to it would fail with.
    public static func validateTopicName(_ topic: String) throws(KafkaError) {
        guard let problem = ProducerClient.problem(withTopicName: topic) else { return }
        throw KafkaError(code: .invalidRecord, message: problem, topic: topic)
    }
}
