import struct Foundation.Date

/// One of librdkafka's periodic statistics documents, decoded.
///
/// The producer emits one every ``ProducerConfiguration/statisticsInterval``; read them from
/// ``KafkaProducer/statistics``. Counters (sent, bytes, retries, errors) are totals since the
/// producer was created; subtract two documents to get a rate. Each property names the field of
/// librdkafka's `STATISTICS.md` it comes from.
public struct ProducerStatistics: Sendable, Hashable {
    /// When librdkafka wrote the document (`time`, whole seconds).
    public var time: Date
    /// The producer's `client.id` (`client_id`).
    public var clientID: String
    /// Records the producer holds, queued or in flight, whose report has not been handled (`msg_cnt`).
    public var queuedRecords: Int
    /// Bytes of those records (`msg_size`).
    public var queuedBytes: Int
    /// Records transmitted to brokers (`txmsgs`); a retried record counts again.
    public var recordsSent: Int
    /// Bytes of record payload transmitted to brokers (`txmsg_bytes`).
    public var recordBytesSent: Int
    /// Requests sent to brokers, of any kind (`tx`).
    public var requestsSent: Int
    /// Bytes sent to brokers, protocol included (`tx_bytes`).
    public var bytesSent: Int
    /// The brokers the producer knows, ordered by name.
    public var brokers: [Broker]
    /// The topics the producer has written to, ordered by name.
    public var topics: [Topic]

    /// Requests retried on every broker (the sum of ``Broker/retries``).
    public var retries: Int {
        brokers.reduce(0) { $0 + $1.retries }
    }

    /// Failed requests on every broker: transmission and receive errors and timeouts.
    public var errors: Int {
        brokers.reduce(0) { $0 + $1.errors }
    }

    /// Records handed to librdkafka and not yet sent or still awaiting the broker's answer, per
    /// topic: the sum of every partition's ``Partition/queuedRecords`` and ``Partition/inFlightRecords``.
    public func outstandingRecords(topic: String) -> Int {
        topics.first { $0.name == topic }?.partitions.reduce(0) { $0 + $1.queuedRecords + $1.inFlightRecords } ?? 0
    }
}

extension ProducerStatistics {
    /// One broker connection as librdkafka sees it (`brokers.*`).
    public struct Broker: Sendable, Hashable {
        /// librdkafka's name for the broker, `host:port/id` (`name`).
        public var name: String
        /// The broker's node id; -1 for a bootstrap broker not yet identified (`nodeid`).
        public var nodeID: Int32
        /// The connection state (`state`), for example `UP`, `DOWN`, `CONNECT`, `INIT`.
        public var state: String
        /// Requests waiting for the broker's answer (`waitresp_cnt`).
        public var inFlightRequests: Int
        /// Records in those requests (`waitresp_msg_cnt`).
        public var inFlightRecords: Int
        /// Requests sent (`tx`).
        public var requestsSent: Int
        /// Requests retried (`txretries`).
        public var retries: Int
        /// Transmission errors, receive errors and request timeouts (`txerrs` + `rxerrs` + `req_timeouts`).
        public var errors: Int
        /// Request round-trip times over the last interval (`rtt`); `nil` before any request.
        public var roundTripTime: Latency?
    }

    /// A latency window from librdkafka's histograms, over the last statistics interval.
    public struct Latency: Sendable, Hashable {
        /// The mean (`avg`).
        public var average: Duration
        /// The median (`p50`).
        public var p50: Duration
        /// The 99th percentile (`p99`).
        public var p99: Duration
        /// The largest value seen (`max`).
        public var maximum: Duration
        /// How many values the window holds (`cnt`).
        public var count: Int
    }

    /// One topic the producer writes to (`topics.*`).
    public struct Topic: Sendable, Hashable {
        /// The topic's name (`topic`).
        public var name: String
        /// Its partitions, ordered by id; `-1` is librdkafka's holding queue for records whose
        /// partition is not known yet.
        public var partitions: [Partition]
    }

    /// One partition of a topic (`topics.*.partitions.*`).
    public struct Partition: Sendable, Hashable {
        /// The partition id (`partition`); -1 for the holding queue of unassigned records.
        public var id: Int32
        /// The leader's node id, -1 when unknown (`leader`).
        public var leader: Int32
        /// Records queued locally, in the partition queue and the broker's transmit queue
        /// (`msgq_cnt` + `xmit_msgq_cnt`).
        public var queuedRecords: Int
        /// Bytes of those records (`msgq_bytes` + `xmit_msgq_bytes`).
        public var queuedBytes: Int
        /// Records sent and awaiting the broker's answer (`msgs_inflight`).
        public var inFlightRecords: Int
        /// Records transmitted (`txmsgs`).
        public var recordsSent: Int
        /// Bytes transmitted (`txbytes`).
        public var bytesSent: Int
    }
}
