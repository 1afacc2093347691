internal import RdKafkaBridge

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

        // MARK: This package's own codes

        /// A setting was refused, by librdkafka or because it contradicts another setting.
        public static let invalidConfiguration = Code(rawValue: NativeErrorCode.invalidConfiguration)
        /// The producer was shut down before or while the call ran.
        public static let shutdown = Code(rawValue: NativeErrorCode.shutdown)
        /// A record's fields are not acceptable (an empty topic name, a key or header too large).
        public static let invalidRecord = Code(rawValue: NativeErrorCode.invalidRecord)
        /// A mock cluster operation failed.
        public static let mockCluster = Code(rawValue: NativeErrorCode.mockCluster)
        /// The calling task was cancelled before the record was enqueued: it was not sent.
        public static let cancelled = Code(rawValue: NativeErrorCode.cancelled)
        /// A key or value serializer failed; the record was not enqueued.
        public static let serialization = Code(rawValue: NativeErrorCode.serialization)
        /// A ``ProducerInterceptor``'s `onSend` threw; the record was not enqueued. The message
        /// names the interceptor and its error.
        public static let interceptor = Code(rawValue: NativeErrorCode.interceptor)

        // MARK: librdkafka's local codes

        /// The local queue is full (`queue.buffering.max.messages` / `.kbytes`).
        public static let queueFull = Code(rawValue: NativeErrorCode.queueFull)
        /// The record was not acknowledged within `message.timeout.ms`.
        public static let messageTimedOut = Code(rawValue: NativeErrorCode.messageTimedOut)
        /// An operation timed out (for example ``KafkaProducer/flush(timeout:)``).
        public static let timedOut = Code(rawValue: NativeErrorCode.timedOut)
        /// The explicit partition does not exist in the topic.
        public static let unknownPartition = Code(rawValue: NativeErrorCode.unknownPartition)
        /// The topic does not exist in the cluster.
        public static let unknownTopic = Code(rawValue: NativeErrorCode.unknownTopic)
        /// An argument is invalid.
        public static let invalidArgument = Code(rawValue: NativeErrorCode.invalidArgument)
        /// The connection to a broker failed.
        public static let transport = Code(rawValue: NativeErrorCode.transport)
        /// No broker is reachable.
        public static let allBrokersDown = Code(rawValue: NativeErrorCode.allBrokersDown)
        /// A broker address could not be resolved.
        public static let resolve = Code(rawValue: NativeErrorCode.resolve)
        /// TLS failed.
        public static let ssl = Code(rawValue: NativeErrorCode.ssl)
        /// SASL authentication failed.
        public static let authentication = Code(rawValue: NativeErrorCode.authentication)
        /// A fatal error occurred earlier; the producer cannot go on.
        public static let fatal = Code(rawValue: NativeErrorCode.fatal)
        /// The record was removed from the local queue by a purge (at shutdown).
        public static let purgedFromQueue = Code(rawValue: NativeErrorCode.purgedFromQueue)
        /// The record was in flight when it was purged: it may or may not have been written.
        public static let purgedInFlight = Code(rawValue: NativeErrorCode.purgedInFlight)
        /// The client was destroyed with the record still outstanding.
        public static let destroyed = Code(rawValue: NativeErrorCode.destroyed)
        /// librdkafka could not create or serialise the message.
        public static let badMessage = Code(rawValue: NativeErrorCode.badMessage)
        /// The call does not fit the client's state: for a transactional producer, a send outside a
        /// transaction, or a transaction call out of order (commit before begin).
        public static let state = Code(rawValue: NativeErrorCode.state)
        /// A transaction call on a producer configured without ``ProducerConfiguration/transactionalID``.
        public static let notConfigured = Code(rawValue: NativeErrorCode.notConfigured)
        /// Another producer with the same transactional id took over: this one is fenced off for good.
        public static let fenced = Code(rawValue: NativeErrorCode.fenced)

        // MARK: Broker codes

        /// The record is larger than `message.max.bytes` or the broker's limit.
        public static let messageSizeTooLarge = Code(rawValue: NativeErrorCode.messageSizeTooLarge)
        /// The broker does not host this topic or partition.
        public static let unknownTopicOrPartition = Code(rawValue: NativeErrorCode.unknownTopicOrPartition)
        /// The broker is not the partition's leader (a leader change is in progress).
        public static let notLeaderForPartition = Code(rawValue: NativeErrorCode.notLeaderForPartition)
        /// The partition has no leader right now.
        public static let leaderNotAvailable = Code(rawValue: NativeErrorCode.leaderNotAvailable)
        /// The broker timed out the request.
        public static let requestTimedOut = Code(rawValue: NativeErrorCode.requestTimedOut)
        /// The broker lost the connection to a replica.
        public static let networkException = Code(rawValue: NativeErrorCode.networkException)
        /// Too few in-sync replicas for `acks=all`.
        public static let notEnoughReplicas = Code(rawValue: NativeErrorCode.notEnoughReplicas)
        /// Too few in-sync replicas after the write.
        public static let notEnoughReplicasAfterAppend = Code(rawValue: NativeErrorCode.notEnoughReplicasAfterAppend)
        /// The client may not write to the topic.
        public static let topicAuthorizationFailed = Code(rawValue: NativeErrorCode.topicAuthorizationFailed)
        /// The topic name is not a legal Kafka topic name.
        public static let topicException = Code(rawValue: NativeErrorCode.topicException)
        /// The broker refused the SASL credentials.
        public static let saslAuthenticationFailed = Code(rawValue: NativeErrorCode.saslAuthenticationFailed)

        /// The code's name: librdkafka's for its codes (`_QUEUE_FULL`, `MSG_SIZE_TOO_LARGE`), ours for ours.
        public var name: String {
            switch self {
            case .invalidConfiguration: return "INVALID_CONFIGURATION"
            case .shutdown: return "SHUTDOWN"
            case .invalidRecord: return "INVALID_RECORD"
            case .mockCluster: return "MOCK_CLUSTER"
            case .cancelled: return "CANCELLED"
            case .serialization: return "SERIALIZATION"
            case .interceptor: return "INTERCEPTOR"
            default: return NativeErrorCode.name(of: rawValue)
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
            return NativeErrorCode.text(of: code.rawValue)
        }
    }
}
