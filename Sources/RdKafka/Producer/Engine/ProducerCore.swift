import Dispatch
import Logging
internal import RdKafkaBridge
import Synchronization

/// The producer's engine: the C client, the drain thread and the waiters. ``KafkaProducer`` is
/// a thin public shell over it, so that when the shell is released without a shutdown the
/// engine can still flush and close on its own.
///
/// A coordinator: the state lives in value-type machines (``RecordsInFlight/StateMachine``,
/// ``ProducerLifecycle``, ``QueueRoomWaiters/StateMachine``, ``ConnectionWaiters/StateMachine``)
/// behind small shells, the drain's events go to ``ProducerEvents``, and every blocking
/// librdkafka call runs on the ``BlockingExecutor``.
final class ProducerCore: Sendable {
    let client: ProducerClient
    let logger: Logger
    let enqueueTimeout: Duration
    /// Every record from its hand-over to librdkafka to its report; closes when shutdown starts.
    let inFlight = RecordsInFlight()
    /// Entered by every other call into the handle (flush, metadata, token refresh, transactions,
    /// waking the drain); closes just before the handle is destroyed.
    let handleAlive = HandleGate()
    let events: ProducerEvents
    /// Holds `events` as its delegate, which holds neither the drain nor this core.
    let drain: EventDrain
    let closing: ClosingOptions
    let lifecycle = LockedValue(ProducerLifecycle<CheckedContinuation<Void, Never>>())
    /// Held for the whole of a ``purge(queued:inFlight:)``, so that purges do not overlap.
    let purging = LockedValue(())
    /// The security settings read back from librdkafka after creation.
    let effectiveSecurity: EffectiveSecurity
    /// The configured interceptors; `nil` when there are none, so a send checks one optional.
    var interceptors: ProducerInterceptors? { events.integrations.interceptors }

    /// How the closing sequence waits; tests shorten it.
    struct ClosingOptions {
        /// How long to wait, after purging, for the purged records' reports.
        var purgedReportGrace: Duration = .seconds(30)
        /// Whether to purge at all: only a test turns it off, to see what happens to callers
        /// whose reports never come.
        var purges = true
    }

    init(configuration: ProducerConfiguration, logger: Logger, closing: ClosingOptions = ClosingOptions()) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "kafka.client.id"] = .string(configuration.clientID)
        self.logger = logger
        self.closing = closing
        enqueueTimeout = configuration.enqueueTimeout
        let topicSettings = try configuration.topicSettings()
        let properties = try configuration.librdkafkaProperties()
        let logLevel = logger.logLevel.syslogLevel
        let handle = try bridged { () throws(NativeError) in
            try ClientHandle(
                properties: properties,
                logLevel: logLevel,
                requiredFeatures: configuration.security.requiredFeatures,
                tokenRefreshEvents: configuration.security.tokenProvider != nil
            )
        }
        effectiveSecurity = EffectiveSecurity(reading: handle.effectiveValue, additionalKeys: configuration.additionalSecuritySettings.keys)
        for warning in configuration.security.warnings { logger.warning("\(warning)") }
        client = ProducerClient(handle: handle, topicSettings: topicSettings)
        events = ProducerEvents(
            client: client, logger: logger, configuration: configuration, inFlight: inFlight, handleAlive: handleAlive)
        drain = EventDrain(client: handle, delegate: events)
        drain.start()
    }

    var reports: DeliveryReportBuffer { events.reports }
    var integrations: ProducerIntegrations { events.integrations }
    var fatalError: KafkaError? { events.fatal.withLock { $0 } }

    /// Tells the interceptors, if any, about a record refused before librdkafka took it.
    func acknowledgeRefusal(_ refusal: KafkaError) {
        interceptors?.acknowledge(refusal: refusal)
    }

    /// Records librdkafka accepted whose report has not been handled yet: may lag, never leads
    /// (see ``RecordsInFlight/StateMachine``).
    var unreportedCount: Int {
        inFlight.outstanding
    }

    var droppedDeliveryReports: Int {
        events.reports.droppedCount + inFlight.droppedAtClose
    }

    // MARK: Enqueueing

    /// Hands one record to librdkafka along `route` unless shutdown has begun; `nil` when it was
    /// accepted, and then its report will come back along `route` exactly once.
    ///
    /// The one produce path of every send: ``RecordsInFlight`` registers an awaited sender
    /// before librdkafka sees its record and counts the record once accepted; then the sender
    /// serves what is ready (``EventDrain/serveReadyReports()``).
    func produce(_ record: ProducerRecord, as route: MessageOpaque) -> KafkaError? {
        let opaque = route.pointer
        let awaitingKey: UInt? = if case .awaiting = route { UInt(bitPattern: opaque) } else { nil }
        guard inFlight.handOver(awaiting: awaitingKey) else { return KafkaError.shutDown().notPersisted() }
        let refusal = record.produce(on: client, opaque: opaque)
        if refusal == nil, case .batchEntry(let entry) = route {
            // Before leaving: shutdown reads the marks once every sender has left.
            entry.pointee.collector.takeUnretainedValue().markAccepted(entry.pointee.index)
        }
        // Accepted or not, serve the reports that are ready, on this thread, as C's producer loop
        // does: the messages librdkafka allocated here are freed here, and a refusal for a full
        // queue may find room freed. Before leaving, so that shutdown cannot stop the drain
        // while this thread serves.
        drain.serveReadyReports()
        inFlight.handedOver(accepted: refusal == nil, awaiting: awaitingKey)
        return refusal
    }

    /// A token to take before an enqueue attempt and hand to ``waitForRoom(until:since:)`` if
    /// the attempt found the queue full.
    var roomToken: UInt64 {
        events.roomWaiting.token
    }

    /// Suspends until a delivery report frees room, `deadline` passes, the task is cancelled or
    /// the producer shuts down. Returns normally when the caller should try again.
    func waitForRoom(until deadline: ContinuousClock.Instant, since token: UInt64) async throws(KafkaError) {
        switch await events.roomWaiting.wait(until: deadline, since: token, wakeDrain: wakeDrain) {
        case .retry: return
        case .cancelled: throw KafkaError.cancelled().notPersisted()
        case .shutdown: throw KafkaError.shutDown().notPersisted()
        case .timedOut:
            throw KafkaError(
                code: .queueFull,
                message:
                    "the local queue stayed full for the enqueue timeout (\(enqueueTimeout)); raise queue.buffering.max.messages or the enqueue timeout, or send more slowly"
            ).notPersisted()
        }
    }

    /// A send woken for room has enqueued, or failed for another reason than a full queue: the
    /// next waiter tries, since room may remain (reports wake by count; the queue may be limited
    /// by bytes).
    func passRoomTurnOn() {
        events.roomWaiting.turnUnused()
    }

    /// Interrupts the drain's poll so it recomputes its timeout; never once the handle is gone.
    private func wakeDrain() {
        guard handleAlive.enter() else { return }
        defer { handleAlive.leave() }
        drain.wake()
    }

    // MARK: Connection, flush and other blocking calls

    /// Waits until a broker answered a metadata request (so connecting, TLS and SASL worked), or
    /// fails at the first TLS, authentication or reachability error librdkafka reports.
    func waitUntilConnected(timeout: Duration) async throws(KafkaError) {
        try await events.connectionWaiting.wait(timeout: timeout)
    }

    /// Runs a blocking call into the handle on the blocking executor, inside the "handle alive"
    /// gate, so that it works while shutdown drains and shutdown cannot destroy the handle under it.
    func runBlocking<Result: Sendable>(_ call: @escaping @Sendable (ProducerClient) -> Result) async throws(KafkaError) -> Result {
        guard handleAlive.enter() else { throw .shutDown() }
        let client = self.client
        let gate = handleAlive
        return await BlockingExecutor.shared.run {
            defer { gate.leave() }
            return call(client)
        }
    }

    /// Waits until every accepted record has been reported and its sender told.
    func flush(timeout: Duration) async throws(KafkaError) {
        let milliseconds = timeout.librdkafkaTimeout
        let flushed = try await runBlocking { [self] client in
            // librdkafka's flush ends once the last delivery event is released, which the drain
            // does before it tells that event's senders: wait for it to finish.
            guard client.flush(milliseconds: milliseconds) else { return false }
            waitUntilDrainCaughtUp()
            return true
        }
        guard flushed else {
            throw KafkaError(
                code: .timedOut,
                message: "\(unreportedCount) records were still unacknowledged when the flush timeout (\(timeout)) passed"
            )
        }
    }

    /// Blocks until the drain has handled every event queued before this call, its senders
    /// told. Call it from the blocking executor.
    func waitUntilDrainCaughtUp() {
        let caughtUp = DispatchSemaphore(value: 0)
        drain.whenCaughtUp { caughtUp.signal() }
        caughtUp.wait()
    }

    // MARK: Shutdown

    /// Graceful shutdown; every call waits for the same one to finish.
    func shutdown(flushTimeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            switch lifecycle.withLock({ $0.shutdownRequested(waiter: continuation) }) {
            case .startClosing: BlockingExecutor.shared.execute { [self] in close(flushTimeout: flushTimeout) }
            case .wait: break
            case .resume: continuation.resume()
            }
        }
    }

    /// Starts shutdown without waiting for it, for a producer released without `shutdown()`.
    func shutdownInBackground(flushTimeout: Duration) {
        guard case .startClosing = lifecycle.withLock({ $0.shutdownRequested(waiter: nil) }) else { return }
        let outstanding = unreportedCount
        if outstanding > 0 {
            logger.warning(
                "KafkaProducer released without shutdown(); delivering its outstanding records in the background",
                metadata: ["outstanding": "\(outstanding)", "flushTimeout": "\(flushTimeout)"]
            )
        }
        BlockingExecutor.shared.execute { [self] in close(flushTimeout: flushTimeout) }
    }
}
