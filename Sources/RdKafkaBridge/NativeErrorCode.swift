internal import CRdKafka

/// The raw values of the error codes the package names, taken from librdkafka's headers so the
/// compiler checks them, plus the package's own codes (below -1000, which librdkafka never
/// uses), and librdkafka's names and texts for any code.
///
/// `KafkaError.Code` in `RdKafka` builds its public constants from this table.
package enum NativeErrorCode {
    // MARK: The package's own codes

    package static let invalidConfiguration: Int32 = -1001
    package static let shutdown: Int32 = -1002
    package static let invalidRecord: Int32 = -1003
    package static let mockCluster: Int32 = -1004
    package static let cancelled: Int32 = -1005
    package static let serialization: Int32 = -1006
    package static let interceptor: Int32 = -1010

    // MARK: librdkafka's local codes

    package static let queueFull = RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue
    package static let messageTimedOut = RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue
    package static let timedOut = RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
    package static let unknownPartition = RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION.rawValue
    package static let unknownTopic = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue
    package static let invalidArgument = RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue
    package static let transport = RD_KAFKA_RESP_ERR__TRANSPORT.rawValue
    package static let allBrokersDown = RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue
    package static let resolve = RD_KAFKA_RESP_ERR__RESOLVE.rawValue
    package static let ssl = RD_KAFKA_RESP_ERR__SSL.rawValue
    package static let authentication = RD_KAFKA_RESP_ERR__AUTHENTICATION.rawValue
    package static let fatal = RD_KAFKA_RESP_ERR__FATAL.rawValue
    package static let purgedFromQueue = RD_KAFKA_RESP_ERR__PURGE_QUEUE.rawValue
    package static let purgedInFlight = RD_KAFKA_RESP_ERR__PURGE_INFLIGHT.rawValue
    package static let destroyed = RD_KAFKA_RESP_ERR__DESTROY.rawValue
    package static let badMessage = RD_KAFKA_RESP_ERR__BAD_MSG.rawValue
    package static let state = RD_KAFKA_RESP_ERR__STATE.rawValue
    package static let notConfigured = RD_KAFKA_RESP_ERR__NOT_CONFIGURED.rawValue
    package static let fenced = RD_KAFKA_RESP_ERR__FENCED.rawValue

    // MARK: Broker codes

    package static let messageSizeTooLarge = RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue
    package static let unknownTopicOrPartition = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue
    package static let notLeaderForPartition = RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue
    package static let leaderNotAvailable = RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue
    package static let requestTimedOut = RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue
    package static let networkException = RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION.rawValue
    package static let notEnoughReplicas = RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue
    package static let notEnoughReplicasAfterAppend = RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND.rawValue
    package static let topicAuthorizationFailed = RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue
    package static let topicException = RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION.rawValue
    package static let saslAuthenticationFailed = RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED.rawValue

    /// librdkafka's name for a code (`_QUEUE_FULL`, `MSG_SIZE_TOO_LARGE`); for a code it does not
    /// know, its own placeholder naming the number.
    package static func name(of code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: code)))
    }

    /// librdkafka's human-readable text for a code.
    package static func text(of code: Int32) -> String {
        String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(rawValue: code)))
    }
}
