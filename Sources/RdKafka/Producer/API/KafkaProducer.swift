import Logging

/// A Kafka producer over librdkafka.
///
/// Send a record and await the broker's acknowledgement:
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// let report = try await producer.send(ProducerRecord(topic: "events", key: "user-1", value: "signed-in"))
/// print(report.partition, report.offset ?? -1)
/// await producer.shutdown()
/// ```
///
/// Three ways to send, all over one delivery path:
/// - ``send(_:)`` suspends until the record is acknowledged or has failed.
/// - ``send(contentsOf:)`` enqueues many records and suspends once for all their outcomes.
/// - ``enqueue(_:correlationID:)`` and ``tryEnqueue(_:correlationID:)`` return once librdkafka
///   has the record; its outcome arrives on ``deliveryReports`` with the caller's correlation id.
///
/// Reports are pushed by librdkafka's event API to a dedicated thread that blocks on the
/// producer's queue and resumes waiting tasks directly: there is no polling interval, so an
/// awaited send returns as soon as the broker's answer is read.
///
/// **Full queue.** When the local queue is full (``ProducerConfiguration/queueMaxRecords``),
/// the async calls wait for room, woken by delivery reports, up to
/// ``ProducerConfiguration/enqueueTimeout``, then throw ``KafkaError/Code/queueFull``.
/// ``tryEnqueue(_:correlationID:)`` throws it at once.
///
/// **Cancellation.** Cancelling a task before its record is enqueued (including while it waits
/// for room, unless room was already freed for it) throws ``KafkaError/Code/cancelled`` and the
/// record is not sent. Once librdkafka has
/// the record it cannot be taken back, so cancelling the awaiting task does not end the wait
/// early: ``send(_:)`` still returns the real outcome, which always comes within
/// ``ProducerConfiguration/deliveryTimeout``. A cancelled task is never told "not sent" about a
/// record that may be written.
///
/// **Shutdown.** Call ``shutdown(flushTimeout:)`` when done: it delivers what was accepted,
/// resolves every waiting caller and releases librdkafka. A producer released without it
/// logs a warning and does the same in the background.
public final class KafkaProducer: Sendable {
    let core: ProducerCore

    /// Creates a producer and starts its delivery thread; it connects to the brokers lazily.
    ///
    /// - Parameters:
    ///   - configuration: The settings, each checked by librdkafka here.
    ///   - logger: Receives librdkafka's log lines and error events (never stderr), with the
    ///     client id as metadata. Its level also sets librdkafka's `log_level`.
    /// - Throws: ``KafkaError`` with code ``KafkaError/Code/invalidConfiguration`` naming the
    ///   refused key (``KafkaError/configurationKey``) and librdkafka's reason.
    public init(configuration: ProducerConfiguration, logger: Logger = Logger(label: "swift-rdkafka")) throws {
        core = try ProducerCore(configuration: configuration, logger: logger)
    }

    /// A producer over an engine built by a test, with its own closing options.
    init(core: ProducerCore) {
        self.core = core
    }

    deinit {
        core.shutdownInBackground(flushTimeout: .seconds(30))
    }

    /// Sends one record and waits for the broker's acknowledgement.
    ///
    /// - Returns: Where the record was written. Under `acks=0` the offset is `nil`.
    /// - Throws: ``KafkaError``: refused at once (an invalid topic name, an oversized record, a
    ///   partition that does not exist, ``KafkaError/Code/queueFull`` after the enqueue timeout,
    ///   ``KafkaError/Code/shutdown``, ``KafkaError/Code/cancelled`` before enqueueing), or failed
    ///   later (for example ``KafkaError/Code/messageTimedOut``). The error names the topic.
    /// - Note: With a tracer (``ProducerConfiguration/tracer``), the send runs in a producer
    ///   span whose context travels in the record's headers; see ``send(_:tracer:)``.
    public func send(_ record: ProducerRecord) async throws -> DeliveryReport {
        if let interceptors = core.interceptors { return try await send(record, through: interceptors) }
        if let tracer = core.integrations.tracer { return try await sendTraced(record, tracer: tracer) }
        return try await sendUntraced(record)
    }

    /// ``send(_:)`` with interceptors: they see (and may change) the record before a span starts.
    private func send(_ record: ProducerRecord, through interceptors: ProducerInterceptors) async throws -> DeliveryReport {
        let record = try interceptors.onSend(record)
        if let tracer = core.integrations.tracer { return try await sendTraced(record, tracer: tracer) }
        return try await sendUntraced(record)
    }

    /// ``send(_:)`` without a span and after the interceptors: the path every send takes.
    func sendUntraced(_ record: ProducerRecord) async throws -> DeliveryReport {
        let outcome: Result<DeliveryReport, KafkaError>
        do throws(KafkaError) {
            outcome = try await awaitOutcome(of: record)
        } catch {
            core.acknowledgeRefusal(error)
            throw error
        }
        return try outcome.get()
    }

    /// Sends many records and waits once, until every one has an outcome.
    ///
    /// Records are enqueued in order (waiting for room as ``send(_:)`` does), so records for the
    /// same partition keep their order. A record that cannot be enqueued gets its error in its
    /// slot; the others are still sent. If the task is cancelled, or the producer shuts down,
    /// the records not yet enqueued get ``KafkaError/Code/cancelled`` or
    /// ``KafkaError/Code/shutdown`` and are not sent; those already enqueued still report.
    ///
    /// - Returns: One result per record, in the order given.
    /// - Note: With a tracer (``ProducerConfiguration/tracer``), each record gets a span whose
    ///   context travels in its headers, and the batch a span linked to them; see
    ///   <doc:Observability>.
    public func send(contentsOf records: some Collection<ProducerRecord>) async -> [Result<DeliveryReport, KafkaError>] {
        if let tracer = core.integrations.tracer { return await sendTraced(contentsOf: records, tracer: tracer) }
        return await sendUntraced(contentsOf: records)
    }

    /// ``send(contentsOf:)`` without spans: the path every batch takes.
    func sendUntraced(contentsOf records: some Collection<ProducerRecord>) async -> [Result<DeliveryReport, KafkaError>] {
        // One concrete array per batch: iterating the generic collection unspecialised costs two
        // allocations per record.
        let records = Array(records)
        let collector = BatchCollector(count: records.count)
        // Registered so that shutdown can fail the records whose reports never come.
        core.inFlight.batchStarted(collector)
        defer { core.inFlight.batchEnded(collector) }
        var stopReason: KafkaError?
        for (index, original) in records.enumerated() {
            if stopReason == nil && Task.isCancelled { stopReason = KafkaError.cancelled().notPersisted() }
            if let stopReason {
                let refusal = stopReason.about(topic: original.topic, partition: original.partition)
                core.acknowledgeRefusal(refusal)
                collector.complete(index, with: .failure(refusal))
                continue
            }
            let record: ProducerRecord
            if let interceptors = core.interceptors {
                do throws(KafkaError) {
                    record = try interceptors.onSend(original)
                } catch {
                    collector.complete(index, with: .failure(error))
                    continue
                }
            } else {
                record = original
            }
            // The first attempt is a plain call: an async call per record would allocate its frame.
            let route = collector.route(forRecordAt: index)
            let token = core.roomToken
            guard let refusal = core.produce(record, as: route) else { continue }
            // Each record waits for room on its own enqueue timeout, as a lone send does.
            do throws(KafkaError) {
                try await handOver(record, as: route, refused: refusal, since: token)
            } catch {
                core.acknowledgeRefusal(error)
                collector.complete(index, with: .failure(error))
                if error.code == .cancelled || error.code == .shutdown { stopReason = error }
            }
        }
        return await collector.outcomes()
    }

    /// Enqueues a record without waiting for its acknowledgement; its outcome arrives on
    /// ``deliveryReports`` tagged with `correlationID`.
    ///
    /// Suspends only while the local queue is full, up to the enqueue timeout.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - correlationID: Any number below 2^62 that identifies the record to the caller.
    /// - Throws: ``KafkaError`` if the record could not be enqueued; then no outcome will come.
    /// - Note: With a tracer (``ProducerConfiguration/tracer``), the enqueue runs in a producer
    ///   span whose context travels in the record's headers; see <doc:Observability>.
    @inlinable
    public func enqueue(_ record: ProducerRecord, correlationID: UInt64 = 0) async throws {
        // Inlined into the caller, the common case (room in the queue) is a plain function call:
        // no async frame is allocated and no executor is consulted, which is most of what an
        // `await` costs when it does not suspend.
        if try enqueueUnlessFull(record, correlationID: correlationID) { return }
        try await enqueueWaitingForRoom(record, correlationID: correlationID)
    }

    /// Enqueues `record` unless the local queue is full; `false` means full, with nothing sent,
    /// or interceptors to run or a span to start, which ``enqueueWaitingForRoom(_:correlationID:)`` does.
    @usableFromInline
    func enqueueUnlessFull(_ record: ProducerRecord, correlationID: UInt64) throws(KafkaError) -> Bool {
        if core.interceptors != nil || core.integrations.tracer != nil { return false }
        if Task.isCancelled { throw KafkaError.cancelled(before: record, correlationID: correlationID) }
        guard let refusal = try produceOnce(record, correlationID: correlationID) else { return true }
        guard refusal.code == .queueFull else { throw refusal.about(topic: nil, partition: nil, correlationID: correlationID) }
        return false
    }

    /// The rest of ``enqueue(_:correlationID:)`` once the queue was found full, and the whole
    /// of it with interceptors or a tracer: the interceptors run once, then the record is handed
    /// over (inside a span when tracing), waiting for room.
    @usableFromInline
    func enqueueWaitingForRoom(_ record: ProducerRecord, correlationID: UInt64) async throws {
        guard let interceptors = core.interceptors else { return try await enqueueIntercepted(record, correlationID: correlationID) }
        let record = try interceptors.onSend(record, correlationID: correlationID)
        do throws(KafkaError) {
            try await enqueueIntercepted(record, correlationID: correlationID)
        } catch {
            core.acknowledgeRefusal(error)
            throw error
        }
    }

    /// ``enqueue(_:correlationID:)`` after the interceptors: traced when there is a tracer.
    func enqueueIntercepted(_ record: ProducerRecord, correlationID: UInt64) async throws(KafkaError) {
        if let tracer = core.integrations.tracer { return try await enqueueTraced(record, correlationID: correlationID, tracer: tracer) }
        try await handOver(record, as: Self.route(record, correlationID: correlationID))
    }

    /// Enqueues a record without waiting at all; its outcome arrives on ``deliveryReports``.
    ///
    /// - Throws: ``KafkaError`` at once, ``KafkaError/Code/queueFull`` included, if the record
    ///   could not be enqueued; then no outcome will come.
    /// - Note: With a tracer (``ProducerConfiguration/tracer``), the enqueue runs in a producer
    ///   span whose context travels in the record's headers; see <doc:Observability>.
    public func tryEnqueue(_ record: ProducerRecord, correlationID: UInt64 = 0) throws {
        guard let interceptors = core.interceptors else { return try tryEnqueueIntercepted(record, correlationID: correlationID) }
        let record = try interceptors.onSend(record, correlationID: correlationID)
        do throws(KafkaError) {
            try tryEnqueueIntercepted(record, correlationID: correlationID)
        } catch {
            core.acknowledgeRefusal(error)
            throw error
        }
    }

    /// ``tryEnqueue(_:correlationID:)`` after the interceptors: traced when there is a tracer.
    func tryEnqueueIntercepted(_ record: ProducerRecord, correlationID: UInt64) throws(KafkaError) {
        if let tracer = core.integrations.tracer { return try tryEnqueueTraced(record, correlationID: correlationID, tracer: tracer) }
        try tryEnqueueOnce(record, correlationID: correlationID)
    }

    /// One attempt to hand `record` over, with no wait for room.
    func tryEnqueueOnce(_ record: ProducerRecord, correlationID: UInt64) throws(KafkaError) {
        if let refusal = try produceOnce(record, correlationID: correlationID) {
            throw refusal.about(topic: nil, partition: nil, correlationID: correlationID)
        }
    }

    /// One attempt to hand a fire-and-forget record over: librdkafka's refusal, or `nil`.
    func produceOnce(_ record: ProducerRecord, correlationID: UInt64) throws(KafkaError) -> KafkaError? {
        try core.produce(record, as: Self.route(record, correlationID: correlationID))
    }

    /// The outcomes of enqueued records; see ``DeliveryReports`` for what happens when nobody
    /// reads them.
    public var deliveryReports: DeliveryReports {
        DeliveryReports(buffer: core.reports)
    }

    /// How many outcomes were dropped from ``deliveryReports``: overwritten because its buffer
    /// was full, or never reported by librdkafka before shutdown destroyed its handle.
    public var droppedDeliveryReports: Int {
        core.droppedDeliveryReports
    }

    /// The fatal error that stopped the producer, or `nil` while it works.
    ///
    /// An idempotent producer that can no longer guarantee its ordering and exactly-once
    /// promises (the broker lost its producer state, a sequence gap it cannot repair) stops:
    /// librdkafka fails every queued record and every later send with
    /// ``KafkaError/Code/fatal``, and this property holds the original error (with
    /// ``KafkaError/isFatal`` set). The only way on is a new producer.
    public var fatalError: KafkaError? {
        core.fatalError
    }

    /// Records librdkafka has accepted whose outcome has not been reported yet: queued,
    /// in flight, or awaiting the broker's answer. 0 after shutdown.
    ///
    /// A record counts from the moment librdkafka has accepted it: a send still handing its
    /// record over is not counted yet, so when this reads `n`, librdkafka holds at least `n`
    /// records whose outcome has not been reported. It may briefly read less than that while
    /// a report races the count of its own record.
    public var outstandingRecords: Int {
        core.unreportedCount
    }

    /// Waits until the producer has reached a broker, so that a wrong address, an untrusted or
    /// refused certificate, or rejected credentials show up now as a typed error rather than as
    /// delivery timeouts minutes later.
    ///
    /// librdkafka connects lazily and retries forever, so without this call such problems only
    /// appear in the log and, after ``ProducerConfiguration/deliveryTimeout``, as failed sends.
    /// It asks a broker for metadata; success means connecting, TLS and SASL all worked.
    /// A negative `timeout` makes one prompt attempt.
    ///
    /// - Throws: ``KafkaError`` at the first TLS (``KafkaError/Code/ssl``, also for handshakes
    ///   librdkafka reports as transport errors), authentication (``KafkaError/Code/authentication``,
    ///   naming the SASL mechanism) or name resolution error librdkafka reports; with
    ///   ``KafkaError/Code/transport`` once every bootstrap broker has refused or dropped the
    ///   connection before any broker was learned from metadata (behind one load-balancer
    ///   address, a broker learned later failing says nothing of the others); or with a
    ///   timeout code when no broker answered within `timeout`.
    public func waitUntilConnected(timeout: Duration = .seconds(30)) async throws {
        try await core.waitUntilConnected(timeout: timeout)
    }

    /// Waits until every record accepted so far has been acknowledged or has failed, sending
    /// lingering batches at once.
    ///
    /// A negative `timeout` does not wait at all; one past librdkafka's limit (`Int32.max`
    /// milliseconds, about 24.8 days) waits that long.
    ///
    /// - Throws: ``KafkaError/Code/timedOut`` if records were still outstanding at `timeout`
    ///   (they stay queued and will still be reported); ``KafkaError/Code/shutdown`` after shutdown.
    public func flush(timeout: Duration) async throws {
        try await core.flush(timeout: timeout)
    }

    /// Shuts the producer down gracefully and waits until it is done.
    ///
    /// New sends fail with ``KafkaError/Code/shutdown`` from the moment it is called. Records
    /// already accepted get up to `flushTimeout` to be acknowledged; any still outstanding then
    /// are purged and their callers get ``KafkaError/Code/purgedFromQueue`` or
    /// ``KafkaError/Code/purgedInFlight``. Every waiting caller is resumed, ``deliveryReports``
    /// ends, and librdkafka's handle is destroyed exactly once. Calling it again waits for the
    /// same shutdown.
    ///
    /// A negative `flushTimeout` purges at once; one past librdkafka's limit (`Int32.max`
    /// milliseconds, about 24.8 days) waits that long.
    public func shutdown(flushTimeout: Duration = .seconds(30)) async {
        await core.shutdown(flushTimeout: flushTimeout)
    }
}
