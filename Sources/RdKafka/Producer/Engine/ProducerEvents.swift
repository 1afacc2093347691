import Foundation
import Logging
internal import RdKafkaBridge
import Synchronization

/// The drain's delegate: every delivery report, log line and error event arrives here, on the
/// thread serving the queue (the drain's or a sending one, one at a time). It holds what those
/// events change (the report buffer, the waiters, the records in flight) and nothing that holds
/// it back, so the drain can keep it as a
/// plain `let` with no cycle: it cannot outlive anything it uses.
final class ProducerEvents: Sendable {
    let client: ProducerClient
    let logger: Logger
    let reports: DeliveryReportBuffer
    let integrations: ProducerIntegrations
    let roomWaiting = QueueRoomWaiters()
    let connectionWaiting: ConnectionWaiters
    /// Told of every delivery event's reports before any of its senders is resumed.
    let inFlight: RecordsInFlight
    /// The fatal error that stopped the producer (idempotence or transaction state lost), if any.
    let fatal = LockedValue<KafkaError?>(nil)
    private let tokenProvider: OAuthBearerTokenProvider?
    private let handleAlive: HandleGate
    /// The outcomes of one delivery event, gathered before one append.
    private let pending = LockedValue(PendingOutcomes())

    private struct PendingOutcomes {
        var outcomes: [DeliveryOutcome] = []
        var batchOutcomes: [(entry: BatchEntry, result: BatchCollector.Outcome)] = []
        var awaiting: [UInt] = []
    }

    init(
        client: ProducerClient, logger: Logger, configuration: ProducerConfiguration, inFlight: RecordsInFlight,
        handleAlive: HandleGate
    ) {
        self.client = client
        self.inFlight = inFlight
        self.logger = logger
        self.handleAlive = handleAlive
        tokenProvider = configuration.security.tokenProvider
        reports = DeliveryReportBuffer(capacity: configuration.deliveryReportBufferSize)
        integrations = ProducerIntegrations(configuration: configuration, logger: logger)
        connectionWaiting = ConnectionWaiters(
            client: client, handleAlive: handleAlive,
            bootstrapBrokerCount: configuration.bootstrapServers.flatMap { $0.split(separator: ",") }.count,
            saslMechanism: configuration.security.sasl?.mechanismName)
    }
}

extension ProducerEvents: EventDrainDelegate {
    func deliver(_ messages: UnsafeMutableBufferPointer<DeliveredMessage>) {
        integrations.metrics?.record(messages)
        // Only the thread serving the queue takes this lock, one at a time (the drain's lock),
        // so it is never contended.
        pending.withLock { pending in
            // Indices, not `for message in messages`: iterating copies each message (its topic
            // retained and released) where a subscript reads it in place.
            var purged = 0
            for index in messages.indices {
                if case .awaiting? = MessageOpaque(messages[index].opaque) {
                    pending.awaiting.append(UInt(bitPattern: messages[index].opaque))
                }
                if let code = messages[index].errorCode, code == Self.purgedFromQueue || code == Self.purgedInFlight {
                    purged += 1
                }
            }
            // Before any caller is resumed: a send that returned is no longer counted, and an
            // awaited send's key (its task's continuation, the same for every send that task
            // makes in turn) is unregistered before the task can register it again.
            inFlight.reported(count: messages.count, purged: purged, awaitingKeys: pending.awaiting)
            pending.awaiting.removeAll(keepingCapacity: true)
            let interceptors = integrations.interceptors
            for index in messages.indices {
                guard let opaque = MessageOpaque(messages[index].opaque) else { continue }
                let correlationID = opaque.correlationID
                let result = Self.result(of: messages[index], correlationID: correlationID)
                // Interceptors hear of each outcome just before its sender does, from the one
                // result built for both (the argument is not built without interceptors).
                interceptors?.acknowledge(DeliveryOutcome(correlationID: correlationID ?? 0, result: result))
                switch opaque {
                case .awaiting(let continuation):
                    continuation.resume(returning: result)
                case .enqueued(let correlationID):
                    pending.outcomes.append(DeliveryOutcome(correlationID: correlationID, result: result))
                case .batchEntry(let entry):
                    pending.batchOutcomes.append((entry.pointee, result))
                }
            }
            Self.complete(&pending.batchOutcomes)
            if !pending.outcomes.isEmpty {
                let dropped = reports.append(pending.outcomes)
                pending.outcomes.removeAll(keepingCapacity: true)
                if dropped > 0 && reports.droppedCount == dropped {
                    logger.warning("deliveryReports is not being read fast enough; the oldest outcomes are being dropped")
                }
            }
        }
    }

    /// Reports of one batch arrive together (librdkafka reports a produce request at a time),
    /// so each run of the same collector is completed under one lock.
    private static func complete(_ batchOutcomes: inout [(entry: BatchEntry, result: BatchCollector.Outcome)]) {
        var start = 0
        while start < batchOutcomes.count {
            let collector = batchOutcomes[start].entry.collector
            var end = start + 1
            while end < batchOutcomes.count, batchOutcomes[end].entry.collector.toOpaque() == collector.toOpaque() {
                end += 1
            }
            collector.takeUnretainedValue().complete(batchOutcomes[start..<end].lazy.map { ($0.entry.index, $0.result) })
            start = end
        }
        batchOutcomes.removeAll(keepingCapacity: true)
    }

    func queueRoomFreed(count: Int) {
        roomWaiting.roomFreed(count: count)
    }

    func log(level: Int32, facility: String, message: String) {
        logger.log(level: Logger.Level(syslogLevel: level), "\(message)", metadata: ["librdkafka.facility": "\(facility)"])
    }

    func clientError(_ native: NativeError) {
        let error = KafkaError(native)
        connectionWaiting.clientError(error)
        if error.isFatal {
            let original = client.fatalError.map(KafkaError.init) ?? error
            fatal.withLock { $0 = $0 ?? original }
            logger.critical("librdkafka fatal error: every later send will fail", metadata: ["error": "\(original)"])
        } else {
            logger.warning("librdkafka error", metadata: ["error": "\(error)"])
        }
    }

    /// Asks the provider for a token and hands librdkafka the token or the failure. Works until
    /// the handle is about to be destroyed, shutdown's flush included: a token that lapsed
    /// there would fail records that could still be delivered.
    func oauthBearerTokenRefresh(configuration: String?) {
        guard let tokenProvider else { return }
        let client = self.client
        let gate = self.handleAlive
        let logger = self.logger
        // The provider may take its time (a network call); the drain thread must not wait for it.
        Task {
            let failure: String?
            do {
                let token = try await tokenProvider(configuration)
                guard gate.enter() else { return }
                defer { gate.leave() }
                failure = token.install(on: client)?.message
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

    func acknowledged(latencyMicroseconds: Int64) {
        integrations.metrics?.recordAcknowledgementLatency(microseconds: latencyMicroseconds)
    }

    func statistics(_ json: String) {
        integrations.received(statisticsJSON: json)
    }

    func expireWaitersAndComputePollTimeout() -> Int32 {
        roomWaiting.expireAndComputePollTimeout()
    }

    private static let purgedFromQueue = KafkaError.Code.purgedFromQueue.rawValue
    private static let purgedInFlight = KafkaError.Code.purgedInFlight.rawValue

    static func result(of message: DeliveredMessage, correlationID: UInt64?) -> Result<DeliveryReport, KafkaError> {
        if let code = message.errorCode.map(KafkaError.Code.init(rawValue:)) {
            return .failure(KafkaError(undelivered: message, code: code, correlationID: correlationID))
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
