import Tracing

/// Everything a ``KafkaProducer`` is configured with, as typed values.
///
/// Each property names the librdkafka key it sets. A property left `nil` is not passed to
/// librdkafka, which then uses its own default (stated per property for librdkafka 2.x).
/// Every value is checked by librdkafka when the producer is created; a value it refuses, or a
/// combination that contradicts itself, fails ``KafkaProducer/init(configuration:logger:)`` with a
/// ``KafkaError`` whose ``KafkaError/configurationKey`` names the key.
///
/// ```swift
/// var configuration = ProducerConfiguration(bootstrapServers: ["localhost:9092"])
/// configuration.acks = .all
/// configuration.compression = .lz4
/// configuration.linger = .milliseconds(10)
/// ```
public struct ProducerConfiguration: Sendable {
    /// The brokers to bootstrap from, as `host:port` (an IPv6 address in brackets, `[::1]:9092`;
    /// an entry may hold several, separated by commas). `bootstrap.servers`; required. A missing
    /// or out-of-range port, an empty host or entry is refused when the producer is created,
    /// rather than connecting to a wrapped-around port or waiting for a broker that cannot exist.
    public var bootstrapServers: [String]

    /// The client's name in broker logs and quotas. `client.id`; default `"swift-rdkafka"`.
    public var clientID: String = "swift-rdkafka"

    /// How many replicas must have the record before the broker acknowledges it.
    /// `acks` (`request.required.acks`); librdkafka's default is ``Acks/all``.
    public var acks: Acks?

    /// Exactly-once, in-order writes per partition despite retries. `enable.idempotence`;
    /// default `false`. Requires ``acks`` `.all` (or unset), ``maxInFlightRequestsPerConnection``
    /// of at most 5 (or unset) and ``retries`` above 0 (or unset); librdkafka then sets those itself.
    public var enableIdempotence: Bool = false

    /// Makes the producer transactional: its records are written in transactions, which readers
    /// with `isolation.level=read_committed` see only once committed, and never if aborted.
    /// `transactional.id`; default `nil` (not transactional). The id must be stable across
    /// restarts of the same logical producer: a new producer with the id fences the old one off.
    ///
    /// Implies idempotence, so ``enableIdempotence`` may stay `false`, with the same requirements
    /// on ``acks``, ``maxInFlightRequestsPerConnection`` and ``retries``; turning idempotence off
    /// through ``additionalProperties`` is refused. Records are then accepted only inside a
    /// transaction: see ``KafkaProducer/withTransaction(timeout:commitAttempts:isolation:_:)``.
    public var transactionalID: String?

    /// How long the transaction coordinator lets a transaction stay open before aborting it.
    /// `transaction.timeout.ms`; librdkafka's default is 60 s. Needs ``transactionalID``.
    public var transactionTimeout: Duration?

    /// The codec for record batches. `compression.codec`; librdkafka's default is ``Compression/none``.
    public var compression: Compression?

    /// The codec's level: gzip 0–9, lz4 0–12, zstd 0–22; -1 is the codec's default.
    /// `compression.level`; default -1.
    public var compressionLevel: Int?

    /// How long to wait for more records before sending a batch. `linger.ms`
    /// (`queue.buffering.max.ms`); librdkafka's default is 5 ms. Range 0–900 s.
    public var linger: Duration?

    /// The most bytes in one batch. `batch.size`; librdkafka's default is 1,000,000.
    public var batchSize: Int?

    /// The most records in one batch. `batch.num.messages`; librdkafka's default is 10,000.
    public var batchMaxRecords: Int?

    /// The most records waiting in the local queue; past it, sends wait (see ``enqueueTimeout``).
    /// `queue.buffering.max.messages`; librdkafka's default is 100,000.
    public var queueMaxRecords: Int?

    /// The most kilobytes waiting in the local queue. `queue.buffering.max.kbytes`;
    /// librdkafka's default is 1,048,576 (1 GiB).
    public var queueMaxKilobytes: Int?

    /// The largest record (request) size librdkafka will build. `message.max.bytes`;
    /// librdkafka's default is 1,000,000. A larger record fails at once with
    /// ``KafkaError/Code/messageSizeTooLarge``.
    public var messageMaxBytes: Int?

    /// How long a record may take from send to acknowledgement, retries included, before it
    /// fails with ``KafkaError/Code/messageTimedOut``. `message.timeout.ms` (`delivery.timeout.ms`);
    /// librdkafka's default is 300 s.
    public var deliveryTimeout: Duration?

    /// How long the broker may take to answer a produce request. `request.timeout.ms`;
    /// librdkafka's default is 30 s.
    public var requestTimeout: Duration?

    /// How many times a failed produce request is retried. `retries` (`message.send.max.retries`);
    /// librdkafka's default is 2,147,483,647 (bounded by ``deliveryTimeout``).
    public var retries: Int?

    /// The wait before retrying a request. `retry.backoff.ms`; librdkafka's default is 100 ms.
    public var retryBackoff: Duration?

    /// The most unacknowledged requests per broker connection. `max.in.flight`
    /// (`max.in.flight.requests.per.connection`); librdkafka's default is 1,000,000.
    /// Above 1 without idempotence, a retried batch may land after a later one (reordering).
    public var maxInFlightRequestsPerConnection: Int?

    /// How records without an explicit partition are placed. `partitioner`;
    /// librdkafka's default is ``Partitioner/consistentRandom``.
    public var partitioner: Partitioner?

    /// How records without a key spread over a topic's partitions. `sticky.partitioning.linger.ms`;
    /// default `.zero` here: the partitions take turns, 1,000 keyless records each, so that they
    /// get even shares (within one turn) even of a short burst. A positive duration hands keyless
    /// records to librdkafka's sticky partitioning, which keeps one partition, chosen at random,
    /// for that long; `nil` leaves librdkafka's default, twice ``linger`` (10 ms with the default
    /// 5 ms linger); at most 900 s. Keyed records are not affected: each key keeps its partition.
    /// With ``linger`` at `.zero` there are no turns: each keyless record gets a partition at
    /// random (librdkafka's placement without stickiness), so that sends awaited one by one
    /// spread over every broker at once rather than queue behind one partition's leader.
    ///
    /// Sticking chosen at random lands a burst unevenly: 1,000,000 keyless records sent as fast
    /// as the producer takes them came out between 177,000 and 338,000 on each of 4 partitions,
    /// against 249,000 to 253,000 with turns. Turns of 1,000 records cost no more CPU per record
    /// than sticking; a partition per record cost 1.3 to 2 times as much in the benchmark.
    ///
    /// The turns apply under ``Partitioner/consistentRandom`` (librdkafka's default),
    /// ``Partitioner/murmur2Random`` and ``Partitioner/fnv1aRandom``; the other named partitioners
    /// hash keyless records too (or, ``Partitioner/random``, place every record at random), and a
    /// ``Partitioner/custom(_:)`` one receives them at `.zero`. Setting
    /// `sticky.partitioning.linger.ms` or `partitioner` through ``additionalProperties`` gives
    /// librdkafka's own placement, as that key says. Measured figures:
    /// <doc:Partitioning#Records-without-a-key>.
    public var stickyPartitioningLinger: Duration? = .zero

    /// Settings that differ for some topics, by topic name: acks, delivery timeout,
    /// partitioner and compression of that topic's records. Default: none. Checked when the
    /// producer is created; see ``TopicConfiguration``.
    public var topics: [String: TopicConfiguration] = [:]

    /// How long an async send waits for room when the local queue is full before failing with
    /// ``KafkaError/Code/queueFull``. Not a librdkafka key; default 30 s. Waiters are woken by
    /// delivery reports, which free room, never by polling.
    public var enqueueTimeout: Duration = .seconds(30)

    /// How many outcomes of records sent with ``KafkaProducer/enqueue(_:correlationID:)`` are kept
    /// for ``KafkaProducer/deliveryReports`` while nobody reads them. Past it the oldest are
    /// dropped and counted in ``KafkaProducer/droppedDeliveryReports``; the producer never stalls
    /// on an unread sequence. Not a librdkafka key; default 100,000.
    public var deliveryReportBufferSize: Int = 100_000

    /// TLS and SASL; ``SecurityConfiguration/plaintext`` (neither) by default. Sets
    /// `security.protocol` and the `ssl.*` and `sasl.*` keys; see ``SecurityConfiguration``.
    public var security: SecurityConfiguration = .plaintext

    /// How often librdkafka emits a statistics document, read from ``KafkaProducer/statistics``.
    /// `statistics.interval.ms`; `nil` (the default) emits none, unless ``metrics`` is set, which
    /// then uses 5 s. Range 0–86,400 s; 0 also emits none.
    public var statisticsInterval: Duration?

    /// Exports the producer's counters, gauges and a latency timer to swift-metrics; `nil` (the
    /// default) exports nothing. Not a librdkafka key. See ``MetricsOptions`` for the names.
    public var metrics: MetricsOptions?

    /// The tracer ``KafkaProducer/send(_:)`` starts a producer span with and injects into the
    /// record's headers; `nil` (the default) uses `InstrumentationSystem.tracer` as it is when
    /// the producer is created. Not a librdkafka key. When the tracer is a `NoOpTracer`, sends
    /// are not traced at all.
    public var tracer: (any Tracer)?

    /// Interceptors that see every record before it is enqueued (and may change or refuse it)
    /// and every outcome, in this order; none by default. Not a librdkafka key. See
    /// ``ProducerInterceptor`` for when and on which thread each is called.
    public var interceptors: [any ProducerInterceptor] = []

    /// How long ``KafkaProducer/run()`` gives accepted records to be acknowledged once the
    /// service group shuts down gracefully; records still outstanding then fail with a purge
    /// error. Not a librdkafka key; default 30 s.
    public var gracefulShutdownTimeout: Duration = .seconds(30)

    /// Any other librdkafka setting, by its key, applied after the typed ones (so it overrides
    /// them). Each is checked by librdkafka; an unknown key or bad value fails the producer's
    /// creation naming the key. Keys the producer manages itself (`delivery.report.only.error`,
    /// `log.queue`, `enabled_events`) are refused.
    ///
    /// Security keys are refused where ``security`` sets them (`security.protocol`, the SASL
    /// mechanism and credentials, trust roots, client identity, verification, cipher suites, the
    /// OIDC settings), naming the typed setting, and where they would weaken the connection
    /// (`enable.sasl.oauthbearer.unsecure.jwt=true`). The others, which have no typed form
    /// (`ssl.curves.list`, `ssl.sigalgs.list`, `ssl.engine.*`, `ssl.providers`,
    /// `sasl.kerberos.kinit.cmd`, `sasl.oauthbearer.config`, `https.ca.*`, ...), are applied and
    /// shown in ``securityDescription`` and ``KafkaProducer/effectiveSecurity``, so that what
    /// they describe is what is used. A value holding a NUL character, which librdkafka would
    /// silently cut short there, is refused as well.
    public var additionalProperties: [String: String] = [:]

    /// Creates a configuration for the given brokers with every other setting at its default.
    public init(bootstrapServers: [String]) {
        self.bootstrapServers = bootstrapServers
    }
}
