import Foundation

/// The send path under the public calls: after the interceptors and the span, every record is
/// handed to ``ProducerCore/produce(_:as:)`` along its route, and waits for room in a full
/// local queue the same way. An awaited send also suspends on its report.
extension KafkaProducer {
    /// Enqueues `record` and waits for its delivery report, returned as it is.
    ///
    /// - Throws: Only the errors that refused the record before librdkafka took it.
    func awaitOutcome(of record: ProducerRecord) async throws(KafkaError) -> Result<DeliveryReport, KafkaError> {
        if Task.isCancelled { throw KafkaError.cancelled(before: record) }
        var wait = RoomWait()
        while true {
            let token = core.roomToken
            var refusal: KafkaError?
            let woken = wait.woken
            let result = await withUnsafeContinuation { (continuation: DeliveryContinuation) in
                if let error = core.produce(record, as: .awaiting(continuation)) {
                    refusal = error
                    continuation.resume(returning: .failure(error))
                } else if woken {
                    core.passRoomTurnOn()
                }
            }
            guard let refusal else { return result }
            try await waitForRoomIfFull(refusal, record: record, wait: &wait, token: token)
        }
    }

    /// Hands `record` to librdkafka along `route`, waiting for room while the local queue is
    /// full, up to the enqueue timeout: the path of every send but the awaited one, which
    /// suspends on its report as well.
    func handOver(_ record: ProducerRecord, as route: MessageOpaque) async throws(KafkaError) {
        if Task.isCancelled { throw KafkaError.cancelled(before: record, correlationID: route.correlationID) }
        let token = core.roomToken
        guard let refusal = core.produce(record, as: route) else { return }
        try await handOver(record, as: route, refused: refusal, since: token)
    }

    /// ``handOver(_:as:)`` after a first attempt, made with room token `token`, was refused.
    func handOver(_ record: ProducerRecord, as route: MessageOpaque, refused: KafkaError, since token: UInt64) async throws(KafkaError) {
        var wait = RoomWait()
        var refusal = refused
        var token = token
        while true {
            try await waitForRoomIfFull(
                refusal.about(topic: nil, partition: nil, correlationID: route.correlationID), record: record, wait: &wait, token: token)
            token = core.roomToken
            guard let next = core.produce(record, as: route) else {
                if wait.woken { core.passRoomTurnOn() }
                return
            }
            refusal = next
        }
    }

    /// One send's wait for queue room, across its attempts.
    struct RoomWait {
        /// Fixed at the first full queue, so that retries do not extend the enqueue timeout.
        var deadline: ContinuousClock.Instant?
        /// The last wait ended with a wake-up: the attempt that follows uses (or hands on) a turn.
        var woken = false
    }

    /// Waits for room if `refusal` says the queue is full, else throws it. A send woken for room
    /// always tries again (even if cancelled meanwhile: the wait, not the task, decides). Whether
    /// its retry succeeds or fails for another reason than a full queue, it then wakes the next
    /// waiter: room is woken for by count of reports, but a queue limited by bytes may have
    /// room for more records than were reported, so freed room is never left unused while
    /// others sleep. A retry that finds the queue full again ends the chain.
    func waitForRoomIfFull(
        _ refusal: KafkaError,
        record: ProducerRecord,
        wait: inout RoomWait,
        token: UInt64
    ) async throws(KafkaError) {
        guard refusal.code == .queueFull else {
            if wait.woken { core.passRoomTurnOn() }
            throw refusal
        }
        let until = wait.deadline ?? ContinuousClock.now + core.enqueueTimeout
        wait.deadline = until
        wait.woken = false
        do {
            try await core.waitForRoom(until: until, since: token)
            wait.woken = true
        } catch {
            throw error.about(topic: record.topic, partition: record.partition, correlationID: refusal.correlationID)
        }
    }

    /// The route of a fire-and-forget record: its correlation id, checked to fit.
    static func route(_ record: ProducerRecord, correlationID: UInt64) throws(KafkaError) -> MessageOpaque {
        guard correlationID <= MessageOpaque.maximumCorrelationID else {
            throw KafkaError(
                code: .invalidArgument,
                message: "correlation id \(correlationID) is above the largest allowed, 2^62 - 1",
                topic: record.topic,
                correlationID: correlationID
            )
        }
        return .enqueued(correlationID: correlationID)
    }
}
