internal import CRdKafka

extension KafkaError {
    /// An error code: librdkafka's local errors (negative), broker errors (positive), and this
    /// package's own (below -1000).
    ///
    /// A struct rather than an enum because librdkafka and Kafka keep adding codes: an unknown
    /// code still round-trips through ``rawValue`` and has a ``name``.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// librdkafka's `rd_kafka_resp_err_t` value, or this package's own (below -1000).
        public var rawValue: Int32

        /// Creates a code from its raw value.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        init(_ error: rd_kafka_resp_err_t) { self.rawValue = error.rawValue }

        // MARK: This package's own codes

        /// A setting was refused, by librdkafka or because it contradicts another setting.
        public static let invalidConfiguration = Code(rawValue: -1001)
        /// The producer was shut down before or while the call ran.
        public static let shutdown = Code(rawValue: -1002)
        /// A record's fields are not acceptable (an empty topic name, a key or header too large).
        public static let invalidRecord = Code(rawValue: -1003)
        /// A mock cluster operation failed.
        public static let mockCluster = Code(rawValue: -1004)
        /// The calling task was cancelled before the record was enqueued: it was not sent.
        public static let cancelled = Code(rawValue: -1005)
        /// A key or value serializer failed; the record was not enqueued.
        public static let serialization = Code(rawValue: -1006)

        // MARK: librdkafka's local codes

        /// The local queue is full (`queue.buffering.max.messages` / `.kbytes`).
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// The record was not acknowledged within `message.timeout.ms`.
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// An operation timed out (for example ``KafkaProducer/flush(timeout:)``).
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// The explicit partition does not exist in the topic.
        public static let unknownPartition = Code(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        /// The topic does not exist in the cluster.
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        /// An argument is invalid.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// The connection to a broker failed.
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        /// No broker is reachable.
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        /// A broker address could not be resolved.
        public static let resolve = Code(RD_KAFKA_RESP_ERR__RESOLVE)
        /// TLS failed.
        public static let ssl = Code(RD_KAFKA_RESP_ERR__SSL)
        /// SASL authentication failed.
        public static let authentication = Code(RD_KAFKA_RESP_ERR__AUTHENTICATION)
        /// A fatal error occurred earlier; the producer cannot go on.
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        /// The record was removed from the local queue by a purge (at shutdown).
        public static let purgedFromQueue = Code(RD_KAFKA_RESP_ERR__PURGE_QUEUE)
        /// The record was in flight when it was purged: it may or may not have been written.
        public static let purgedInFlight = Code(RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
        /// The client was destroyed with the record still outstanding.
        public static let destroyed = Code(RD_KAFKA_RESP_ERR__DESTROY)
        /// librdkafka could not create or serialise the message.
        public static let badMessage = Code(RD_KAFKA_RESP_ERR__BAD_MSG)
        /// The call does not fit the client's state: for a transactional producer, a send outside a
        /// transaction, or a transaction call out of order (commit before begin).
        public static let state = Code(RD_KAFKA_RESP_ERR__STATE)
        /// A transaction call on a producer configured without ``ProducerConfiguration/transactionalID``.
        public static let notConfigured = Code(RD_KAFKA_RESP_ERR__NOT_CONFIGURED)
        /// Another producer with the same transactional id took over: this one is fenced off for good.
        public static let fenced = Code(RD_KAFKA_RESP_ERR__FENCED)

        // MARK: Broker codes

        /// The record is larger than `message.max.bytes` or the broker's limit.
        public static let messageSizeTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        /// The broker does not host this topic or partition.
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        /// The broker is not the partition's leader (a leader change is in progress).
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        /// The partition has no leader right now.
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        /// The broker timed out the request.
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        /// The broker lost the connection to a replica.
        public static let networkException = Code(RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION)
        /// Too few in-sync replicas for `acks=all`.
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        /// Too few in-sync replicas after the write.
        public static let notEnoughReplicasAfterAppend = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND)
        /// The client may not write to the topic.
        public static let topicAuthorizationFailed = Code(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        /// The topic name is not a legal Kafka topic name.
        public static let topicException = Code(RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION)
        /// The broker refused the SASL credentials.
        public static let saslAuthenticationFailed = Code(RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED)

        /// The code's name: librdkafka's for its codes (`_QUEUE_FULL`, `MSG_SIZE_TOO_LARGE`), ours for ours.
        public var name: String {
            switch self {
            case .invalidConfiguration: return "INVALID_CONFIGURATION"
            case .shutdown: return "SHUTDOWN"
            case .invalidRecord: return "INVALID_RECORD"
            case .mockCluster: return "MOCK_CLUSTER"
            case .cancelled: return "CANCELLED"
            case .serialization: return "SERIALIZATION"
            default: return String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue)))
            }
        }

        /// Whether this code usually names a transient condition.
        var isRetriableByDefault: Bool {
            Self.retriable.contains(self)
        }

        private static let retriable: Set<Code> = [
            .queueFull, .messageTimedOut, .timedOut, .transport, .allBrokersDown, .resolve,
            .notLeaderForPartition, .leaderNotAvailable, .requestTimedOut, .networkException,
            .notEnoughReplicas, .notEnoughReplicasAfterAppend, .unknownTopicOrPartition,
            .purgedInFlight,
        ]
    }
}

extension KafkaError.Code: CustomStringConvertible {
    /// The code's ``name``.
    public var description: String { name }
}

extension KafkaError {
    /// An error for a librdkafka code, with librdkafka's text for it.
    init(_ error: rd_kafka_resp_err_t, topic: String? = nil, partition: Int32? = nil) {
        self.init(
            code: Code(error),
            message: String(cString: rd_kafka_err2str(error)),
            topic: topic,
            partition: partition
        )
    }

    /// An error from an `rd_kafka_error_t`, which it destroys after reading its flags.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: Code(rd_kafka_error_code(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
        transactionRequiresAbort = rd_kafka_error_txn_requires_abort(error) != 0
    }
}

extension KafkaError.Code {
    /// librdkafka's explanation of a code, with this package's words for the cases where a
    /// delivery report's plain code would leave the user guessing.
    static func describe(_ code: KafkaError.Code) -> String {
        switch code {
        case .messageTimedOut:
            return "the record was not acknowledged within message.timeout.ms (deliveryTimeout)"
        case .purgedFromQueue:
            return "the producer shut down before the record was sent; it was not written"
        case .purgedInFlight:
            return "the producer shut down while the record was in flight; it may or may not have been written"
        default:
            return String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(rawValue: code.rawValue)))
        }
    }
}
