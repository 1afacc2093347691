import Foundation
import Logging
import Synchronization

/// Room-waiting continuations resume with what ended the wait.
typealias RoomContinuation = UnsafeContinuation<RoomWaitOutcome, Never>

/// The producer's engine: the C client, the drain thread and every waiter. ``KafkaProducer``
/// is a thin public shell over it, so that when the shell is released without a shutdown the
/// engine can still flush and close on its own threads.
///
/// It is the drain thread's delegate: every delivery report, log line and error event arrives
/// here on that thread.
final class ProducerCore: Sendable {
    let client: ProducerClient
    let logger: Logger
    let enqueueTimeout: Duration
    /// Entered by every call into librdkafka's handle, so shutdown destroys it only after them.
    let gate = SendGate()
    private let waiters = LockedValue(QueueRoomWaiters<RoomContinuation>())
    /// Bumped after every delivery event frees room, before waiters are woken; a send that saw
    /// the queue full compares it to learn whether room was freed while it was registering.
    private let roomGeneration = Atomic<UInt64>(0)
    let reports: DeliveryReportBuffer
    let integrations: ProducerIntegrations
    /// The outcomes of one delivery event, gathered on the drain thread before one append.
    /// Only the drain thread touches it, so exclusivity is not checked at run time.
    @exclusivity(unchecked) private nonisolated(unsafe) var pendingOutcomes: [DeliveryOutcome] = []
    /// The batch records of one delivery event, handed to their collectors a run at a time.
    @exclusivity(unchecked) private nonisolated(unsafe) var pendingBatchOutcomes: [(entry: BatchEntry, result: BatchCollector.Outcome)] = []
    /// Records accepted by librdkafka whose report has not been handled yet. librdkafka's own
    /// `rd_kafka_outq_len` also counts queued events (logs, errors), so it cannot say this.
    private let unreported = Atomic<Int>(0)
    private let lifecycle = LockedValue(Lifecycle.running)
    private let tokenProvider: OAuthBearerTokenProvider?
    /// The fatal error that stopped the producer (idempotence or transaction state lost), if any.
    private let fatal = LockedValue<KafkaError?>(nil)

    var fatalError: KafkaError? {
        fatal.withLock { $0 }
    }
    /// Callers of ``waitUntilConnected(timeout:)`` still waiting, by id.
    private let connectionWaiters = LockedValue(ConnectionWaiters())

    /// How many bootstrap brokers there are: when that many distinct brokers have failed to
    /// connect since a caller started waiting, none can answer.
    private let bootstrapBrokerCount: Int
    /// The SASL mechanism, named in authentication errors that do not name it themselves.
    private let saslMechanism: String?

    private struct ConnectionWaiters {
        var waiting: [UInt64: CheckedContinuation<KafkaError?, Never>] = [:]
        var nextID: UInt64 = 0
        /// The latest connection problem, to explain a later "all brokers down".
        var lastProblem: KafkaError?
        /// Brokers whose connection failed since the oldest waiter started waiting. librdkafka
        /// says "all brokers down" once, possibly before anyone waited; connection failures it
        /// repeats on every retry.
        var failingBrokers: Set<Substring> = []
    }
    private nonisolated(unsafe) var drain: EventDrain!

    private enum Lifecycle {
        case running
        case shuttingDown(waiters: [CheckedContinuation<Void, Never>])
        case finished
    }

    init(configuration: ProducerConfiguration, logger: Logger) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "kafka.client.id"] = .string(configuration.clientID)
        self.logger = logger
        enqueueTimeout = configuration.enqueueTimeout
        tokenProvider = configuration.security.tokenProvider
        bootstrapBrokerCount = configuration.bootstrapServers.flatMap { $0.split(separator: ",") }.count
        saslMechanism = configuration.security.sasl?.mechanismName
        let topicSettings = try configuration.topicSettings()
        let handle = try ClientHandle(
            properties: try configuration.librdkafkaProperties(),
            logLevel: Self.librdkafkaLogLevel(for: logger.logLevel),
            requiredFeatures: configuration.security.requiredFeatures,
            tokenRefreshEvents: tokenProvider != nil
        )
        if configuration.security.isInsecure {
            logger.warning(
                "TLS certificate verification is OFF (insecureNoVerification): the connection can be read and changed by anyone on the path"
            )
        }
        client = ProducerClient(handle: handle, topicSettings: topicSettings)
        reports = DeliveryReportBuffer(capacity: configuration.deliveryReportBufferSize)
        integrations = ProducerIntegrations(configuration: configuration, logger: logger)
        drain = EventDrain(client: handle, delegate: self)
        drain.start()
    }

    // MARK: Enqueueing

    /// Hands one record to librdkafka unless shutdown has begun; `nil` when it was accepted.
    func produce(_ record: ProducerRecord, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        guard gate.enter() else { return .shutDown() }
        defer { gate.leave() }
        let refusal = client.produce(record, opaque: opaque)
        if refusal == nil { unreported.wrappingAdd(1, ordering: .relaxed) }
        return refusal
    }

    /// A token to take before an enqueue attempt and hand to ``waitForRoom(until:since:)`` if
    /// the attempt found the queue full.
    var roomToken: UInt64 {
        roomGeneration.load(ordering: .sequentiallyConsistent)
    }

    /// Suspends until a delivery report frees room, `deadline` passes, the task is cancelled or
    /// the producer shuts down. Returns normally when the caller should try again.
    func waitForRoom(until deadline: ContinuousClock.Instant, since token: UInt64) async throws(KafkaError) {
        let id = waiters.withLock { $0.reserve() }
        let outcome = await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: RoomContinuation) in
                let registration = waiters.withLock {
                    $0.register(
                        id,
                        continuation: continuation,
                        deadline: deadline,
                        roomFreedSinceAttempt: roomGeneration.load(ordering: .sequentiallyConsistent) != token
                    )
                }
                switch registration {
                case .wait(let wakeDrain):
                    if wakeDrain { drain.wake() }
                case .resume(let outcome):
                    continuation.resume(returning: outcome)
                }
            }
        } onCancel: {
            waiters.withLock { $0.cancel(id) }?.resume(returning: .cancelled)
        }
        switch outcome {
        case .retry: return
        case .cancelled: throw .cancelled()
        case .shutdown: throw .shutDown()
        case .timedOut:
            throw KafkaError(
                code: .queueFull,
                message:
                    "the local queue stayed full for the enqueue timeout (\(enqueueTimeout)); raise queue.buffering.max.messages or the enqueue timeout, or send more slowly"
            )
        }
    }

    /// Records accepted and not yet reported.
    var unreportedCount: Int {
        unreported.load(ordering: .relaxed)
    }

    // MARK: Connection

    /// Waits until a broker answered a metadata request (so connecting, TLS and SASL worked), or
    /// fails at the first TLS, authentication or reachability error librdkafka reports.
    func waitUntilConnected(timeout: Duration) async throws(KafkaError) {
        let failure = await withCheckedContinuation { (continuation: CheckedContinuation<KafkaError?, Never>) in
            let id = connectionWaiters.withLock { waiters in
                defer { waiters.nextID &+= 1 }
                if waiters.waiting.isEmpty { waiters.failingBrokers.removeAll() }
                waiters.waiting[waiters.nextID] = continuation
                return waiters.nextID
            }
            let client = self.client
            let gate = self.gate
            Thread.detachNewThread { [self] in
                // rd_kafka_metadata cannot be interrupted, and each attempt holds the gate so that
                // shutdown cannot destroy the handle under it; short attempts keep both an error
                // event's early answer and a shutdown from waiting for the whole timeout.
                let deadline = ContinuousClock.now + timeout
                var failure: KafkaError?
                repeat {
                    guard isWaiting(id) else { return }
                    guard gate.enter() else { return resolveConnectionWaiter(id, with: .shutDown()) }
                    let remaining = (deadline - ContinuousClock.now).librdkafkaTimeout
                    failure = client.requestMetadata(milliseconds: max(1, min(remaining, 200)))
                    gate.leave()
                } while failure != nil && ContinuousClock.now < deadline
                // Connected: earlier problems no longer explain anything.
                if failure == nil { connectionWaiters.withLock { $0.lastProblem = nil } }
                resolveConnectionWaiter(id, with: failure.map { self.explainConnectionFailure($0, timeout: timeout) })
            }
        }
        if let failure { throw failure }
    }

    private func isWaiting(_ id: UInt64) -> Bool {
        connectionWaiters.withLock { $0.waiting[id] != nil }
    }

    private func resolveConnectionWaiter(_ id: UInt64, with failure: KafkaError?) {
        connectionWaiters.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: failure)
    }

    private func explainConnectionFailure(_ error: KafkaError, timeout: Duration) -> KafkaError {
        if let problem = connectionWaiters.withLock({ $0.lastProblem }) { return problem }
        var error = error
        error.message = "no broker answered within \(timeout): \(error.message)"
        return error
    }

    /// Error codes that mean connecting cannot succeed as configured, so waiters fail at once.
    /// "All brokers down" is not one: librdkafka may say it before the error that explains it,
    /// so waiters go on until that error (or every bootstrap broker's failure) arrives.
    private static let connectionFailures: Set<KafkaError.Code> = [
        .ssl, .authentication, .saslAuthenticationFailed, .resolve,
    ]

    /// What a connection error means for callers waiting to connect: `nil` to keep waiting, or
    /// the error to fail them with. Runs under the waiters' lock.
    private func connectionOutcome(of error: KafkaError, _ waiters: inout ConnectionWaiters) -> KafkaError? {
        var error = error
        // librdkafka reports a failed TLS handshake as a transport error; it is a TLS problem.
        if error.code == .transport && error.message.contains("SSL") { error.code = .ssl }
        if error.code == .authentication || error.code == .saslAuthenticationFailed, let saslMechanism,
            !error.message.contains(saslMechanism)
        {
            error.message += " (sasl.mechanisms \(saslMechanism))"
        }
        switch error.code {
        case .allBrokersDown:
            return nil
        case .transport, .badMessage:
            // A broker that answers with something other than Kafka shows up as a bad message.
            if error.code == .badMessage { error.message += " (is this a Kafka listener, with the right security protocol?)" }
            waiters.lastProblem = error
            // librdkafka's messages start with the broker's name: "host:port/id: ...".
            if let end = error.message.range(of: ": ") { waiters.failingBrokers.insert(error.message[..<end.lowerBound]) }
            guard waiters.failingBrokers.count >= bootstrapBrokerCount else { return nil }
            error.message = "none of the \(bootstrapBrokerCount) bootstrap brokers could be reached; last error: \(error.message)"
            return error
        default:
            waiters.lastProblem = error
            return Self.connectionFailures.contains(error.code) ? error : nil
        }
    }

    // MARK: Fire-and-forget reports

    var droppedDeliveryReports: Int {
        reports.droppedCount
    }

    // MARK: Flush and shutdown

    /// Waits until every accepted record has been reported, on a thread of its own because
    /// `rd_kafka_flush` blocks.
    /// Holds the send gate meanwhile, so shutdown cannot destroy the handle under it.
    func flush(timeout: Duration) async throws(KafkaError) {
        guard gate.enter() else { throw .shutDown() }
        let milliseconds = timeout.librdkafkaTimeout
        let client = self.client
        let gate = self.gate
        let (flushed, outstanding) = await withCheckedContinuation { (continuation: CheckedContinuation<(Bool, Int), Never>) in
            Thread.detachNewThread {
                let flushed = client.flush(milliseconds: milliseconds)
                gate.leave()
                continuation.resume(returning: (flushed, self.unreportedCount))
            }
        }
        if !flushed {
            throw KafkaError(
                code: .timedOut,
                message: "\(outstanding) records were still unacknowledged when the flush timeout (\(timeout)) passed"
            )
        }
    }

    /// Graceful shutdown; every call waits for the same one to finish.
    func shutdown(flushTimeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = lifecycle.withLock { state -> Bool? in
                switch state {
                case .running:
                    state = .shuttingDown(waiters: [continuation])
                    return true
                case .shuttingDown(var list):
                    list.append(continuation)
                    state = .shuttingDown(waiters: list)
                    return false
                case .finished:
                    return nil
                }
            }
            switch first {
            case true?: startClosing(flushTimeout: flushTimeout)
            case false?: break
            case nil: continuation.resume()
            }
        }
    }

    /// Starts shutdown without waiting for it, for a producer released without `shutdown()`.
    func shutdownInBackground(flushTimeout: Duration) {
        let first = lifecycle.withLock { state -> Bool in
            guard case .running = state else { return false }
            state = .shuttingDown(waiters: [])
            return true
        }
        guard first else { return }
        let outstanding = unreportedCount
        if outstanding > 0 {
            logger.warning(
                "KafkaProducer released without shutdown(); delivering its outstanding records in the background",
                metadata: ["outstanding": "\(outstanding)", "flushTimeout": "\(flushTimeout)"]
            )
        }
        startClosing(flushTimeout: flushTimeout)
    }

    /// The closing sequence, on a thread of its own since every step blocks:
    /// refuse new sends, wait out those inside librdkafka, release room waiters, flush, purge
    /// what is left (their senders get purge errors), stop the drain once all is reported,
    /// destroy the handle, end the report sequence, resume every `shutdown()` caller.
    private func startClosing(flushTimeout: Duration) {
        let milliseconds = flushTimeout.librdkafkaTimeout
        Thread.detachNewThread { [self] in
            gate.closeAndWaitForCallers()
            for continuation in waiters.withLock({ $0.close() }) {
                continuation.resume(returning: .shutdown)
            }
            if !client.flush(milliseconds: milliseconds) {
                logger.warning(
                    "shutdown: records still unacknowledged after the flush timeout are failed with a purge error",
                    metadata: ["outstanding": "\(unreportedCount)"]
                )
                client.purgeAll()
                // Purged records are reported promptly; wait for those reports to be drained.
                var rounds = 0
                while client.outstandingCount > 0 && rounds < 60 {
                    _ = client.flush(milliseconds: 500)
                    rounds += 1
                }
            }
            drain.stopAndWait()
            // The drain holds this core as its delegate; dropping it ends that cycle.
            drain = nil
            let leftover = unreportedCount
            if leftover > 0 {
                logger.error("shutdown: librdkafka still held records after purging", metadata: ["outstanding": "\(leftover)"])
            }
            client.destroy()
            reports.finish()
            integrations.finish()
            let callers = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
                defer { state = .finished }
                if case .shuttingDown(let list) = state { return list }
                return []
            }
            for caller in callers { caller.resume() }
        }
    }

    private static func librdkafkaLogLevel(for level: Logger.Level) -> Int32 {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}

extension ProducerCore: EventDrainDelegate {
    func deliver(_ messages: UnsafeMutableBufferPointer<DeliveredMessage>) {
        unreported.wrappingSubtract(messages.count, ordering: .relaxed)
        integrations.delivered(messages)
        for message in messages {
            guard let opaque = MessageOpaque(message.opaque) else { continue }
            switch opaque {
            case .awaiting(let continuation):
                continuation.resume(returning: Self.result(of: message, correlationID: nil))
            case .enqueued(let correlationID):
                pendingOutcomes.append(
                    DeliveryOutcome(correlationID: correlationID, result: Self.result(of: message, correlationID: correlationID)))
            case .batchEntry(let entry):
                pendingBatchOutcomes.append((entry.pointee, Self.result(of: message, correlationID: nil)))
            }
        }
        completePendingBatchOutcomes()
        if !pendingOutcomes.isEmpty {
            let dropped = reports.append(pendingOutcomes)
            pendingOutcomes.removeAll(keepingCapacity: true)
            if dropped > 0 && reports.droppedCount == dropped {
                logger.warning("deliveryReports is not being read fast enough; the oldest outcomes are being dropped")
            }
        }
    }

    /// Reports of one batch arrive together (librdkafka reports a produce request at a time),
    /// so each run of the same collector is completed under one lock.
    private func completePendingBatchOutcomes() {
        var start = 0
        while start < pendingBatchOutcomes.count {
            let collector = pendingBatchOutcomes[start].entry.collector
            var end = start + 1
            while end < pendingBatchOutcomes.count, pendingBatchOutcomes[end].entry.collector.toOpaque() == collector.toOpaque() {
                end += 1
            }
            collector.takeUnretainedValue().complete(pendingBatchOutcomes[start..<end].lazy.map { ($0.entry.index, $0.result) })
            start = end
        }
        pendingBatchOutcomes.removeAll(keepingCapacity: true)
    }

    func queueRoomFreed(count: Int) {
        roomGeneration.wrappingAdd(1, ordering: .sequentiallyConsistent)
        for continuation in waiters.withLock({ $0.roomFreed(count: count) }) {
            continuation.resume(returning: .retry)
        }
    }

    func log(level: Int32, facility: String, message: String) {
        let swiftLevel: Logger.Level
        switch level {
        case ...2: swiftLevel = .critical
        case 3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5: swiftLevel = .notice
        case 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        logger.log(level: swiftLevel, "\(message)", metadata: ["librdkafka.facility": "\(facility)"])
    }

    func clientError(_ error: KafkaError) {
        if Self.connectionFailures.contains(error.code) || [.transport, .badMessage, .allBrokersDown].contains(error.code) {
            let (failure, waiters) = connectionWaiters.withLock { waiters -> (KafkaError?, [CheckedContinuation<KafkaError?, Never>]) in
                guard let failure = connectionOutcome(of: error, &waiters) else { return (nil, []) }
                defer { waiters.waiting.removeAll() }
                return (failure, Array(waiters.waiting.values))
            }
            for waiter in waiters { waiter.resume(returning: failure) }
        }
        if error.isFatal {
            let original = client.fatalError ?? error
            fatal.withLock { $0 = $0 ?? original }
            logger.critical("librdkafka fatal error: every later send will fail", metadata: ["error": "\(original)"])
        } else {
            logger.warning("librdkafka error", metadata: ["error": "\(error)"])
        }
    }

    func oauthBearerTokenRefresh(configuration: String?) {
        guard let tokenProvider else { return }
        let client = self.client
        let gate = self.gate
        let logger = self.logger
        // The provider may take its time (a network call); the drain thread must not wait for it.
        Task {
            let failure: String?
            do {
                let token = try await tokenProvider(configuration)
                guard gate.enter() else { return }
                defer { gate.leave() }
                failure = client.setOAuthBearerToken(token)?.message
            } catch {
                failure = "the OAUTHBEARER token provider failed: \(error)"
            }
            guard let failure else { return }
            logger.error("OAUTHBEARER token refresh failed", metadata: ["reason": "\(failure)"])
            guard gate.enter() else { return }
            defer { gate.leave() }
            client.setOAuthBearerTokenFailure(failure)
        }
    }

    func statistics(_ json: String) {
        integrations.received(statisticsJSON: json)
    }

    func expireWaitersAndComputePollTimeout() -> Int32 {
        let now = ContinuousClock.now
        let (expired, timeout) = waiters.withLock { waiters in
            (waiters.expire(now: now), waiters.pollTimeoutMilliseconds(now: now))
        }
        for continuation in expired {
            continuation.resume(returning: .timedOut)
        }
        return timeout
    }

    private static func result(of message: DeliveredMessage, correlationID: UInt64?) -> Result<DeliveryReport, KafkaError> {
        if let code = message.error {
            var error = KafkaError(
                code: code,
                message: KafkaError.Code.describe(code),
                topic: message.topic,
                partition: message.partition >= 0 ? message.partition : nil,
                correlationID: correlationID
            )
            if code == .messageTimedOut { error.configurationKey = "message.timeout.ms" }
            return .failure(error)
        }
        return .success(
            DeliveryReport(
                topic: message.topic,
                partition: message.partition,
                offset: message.offset,
                timestamp: message.timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) },
                timestampType: message.timestampMilliseconds == nil
                    ? nil : (message.timestampIsLogAppendTime ? .logAppendTime : .createTime)
            )
        )
    }
}
