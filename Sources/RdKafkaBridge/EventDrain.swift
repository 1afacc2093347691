internal import CRdKafka
import Foundation
import Synchronization

/// A dedicated thread that blocks in `rd_kafka_queue_poll` on the producer's main queue and
/// hands every event to its delegate: all the reports of a delivery event in one call.
///
/// Nothing here sleeps on a fixed interval: the thread wakes when librdkafka posts an event,
/// when a waiter's deadline comes (the delegate says when), or when ``wake()`` is called.
///
/// `@unchecked Sendable`: `stopRequested` is atomic; the buffers and the name cache are touched
/// only by the thread.
package final class EventDrain: @unchecked Sendable {
    private let client: ClientHandle
    private let delegate: any EventDrainDelegate
    private let stopRequested = Atomic<Bool>(false)
    private let finishedSignal = DispatchSemaphore(value: 0)
    /// Reused for every delivery event: librdkafka's message pointers, a slice at a time.
    private let batchCapacity = 4096
    /// The most decoded messages held before their event is released: an event of one produce
    /// request (`batch.num.messages`, 10,000 by default) fits. A larger one (a purge, a queue
    /// timing out) hands out its first messages while the event still holds them, so that
    /// neither this buffer nor the failed records' copies grow with the queue.
    private let heldMessagesLimit = 16_384
    private let rawMessages: UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>
    /// Reused for every delivery event: the decoded copies of its messages, so that the event
    /// (and with it the messages' room in librdkafka's queue) is released before any sender
    /// hears its outcome. Grows with the events, up to ``heldMessagesLimit``; only the drain
    /// thread uses it.
    @exclusivity(unchecked) private var decoded: UnsafeMutablePointer<DeliveredMessage>
    @exclusivity(unchecked) private var decodedCapacity: Int
    /// Topic names by topic handle: handles live as long as the producer, so each name is
    /// converted from C once.
    /// Exclusivity is not checked at run time: only the drain thread touches these.
    @exclusivity(unchecked) private var topicNames: [OpaquePointer: String] = [:]
    /// The previous report's topic: a delivery event's reports are usually all of one topic.
    @exclusivity(unchecked) private var lastTopic: (handle: OpaquePointer, name: String)?
    /// Callers waiting until every event queued before they asked has been handled; `nil` once
    /// the thread has finished (then a caller is answered at once).
    private let caughtUpWaiters = LockedValue<[@Sendable () -> Void]?>([])
    /// How many ``caughtUpWaiters`` are registered, read without the lock on every poll.
    private let caughtUpWaiterCount = Atomic<Int>(0)

    package init(client: ClientHandle, delegate: any EventDrainDelegate) {
        self.client = client
        self.delegate = delegate
        rawMessages = .allocate(capacity: batchCapacity)
        decoded = .allocate(capacity: batchCapacity)
        decodedCapacity = batchCapacity
    }

    deinit {
        rawMessages.deallocate()
        decoded.deallocate()
    }

    /// Starts the thread.
    package func start() {
        let thread = Thread { [self] in run() }
        thread.name = "rdkafka-drain"
        thread.start()
    }

    /// Interrupts a blocked poll so the thread re-reads its timeout.
    package func wake() {
        rd_kafka_queue_yield(client.mainQueue)
    }

    /// Asks the thread to finish once the queue is empty, and blocks until it has.
    /// Call it from a thread outside the cooperative pool.
    package func stopAndWait() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        wake()
        finishedSignal.wait()
    }

    /// Calls `body` once every event already in the queue has been handled (for example the
    /// reports of records just purged), on the drain thread, or at once if it has finished.
    package func whenCaughtUp(_ body: @escaping @Sendable () -> Void) {
        let registered = caughtUpWaiters.withLock { waiters in
            guard waiters != nil else { return false }
            waiters?.append(body)
            caughtUpWaiterCount.add(1, ordering: .releasing)
            return true
        }
        guard registered else { return body() }
        wake()
    }

    private func run() {
        // Waiters taken before a poll, and how many events were queued when they were last
        // added to. Delivery reports are queued at the tail and leave in order, so once that
        // many reports have been handled, or a poll finds the queue empty, every report queued
        // before they registered has been handled. Only reports count down: logs, statistics
        // and token refreshes are queued ahead of them (librdkafka gives those ops priority),
        // so counting one could answer a waiter with a report still unhandled; not counting
        // the ones already queued only makes the wait longer. Counting rather than waiting for
        // an empty queue lets waiters be answered while reports keep arriving faster than they
        // are handled.
        var caughtUpBefore: [@Sendable () -> Void] = []
        var eventsBeforeCaughtUp = 0
        while true {
            let stopping = stopRequested.load(ordering: .sequentiallyConsistent)
            var timeout = stopping ? 0 : delegate.expireWaitersAndComputePollTimeout()
            // One atomic load per poll when nobody waits: the delivery path stays as it was.
            if caughtUpWaiterCount.load(ordering: .acquiring) > 0 {
                let taken = takeCaughtUpWaiters(finished: false)
                if !taken.isEmpty {
                    caughtUpBefore += taken
                    eventsBeforeCaughtUp = Int(rd_kafka_queue_length(client.mainQueue))
                }
            }
            if !caughtUpBefore.isEmpty { timeout = 0 }
            let event = rd_kafka_queue_poll(client.mainQueue, Int32(timeout))
            if let event {
                let type = rd_kafka_event_type(event)
                handle(event, type: type)
                if !caughtUpBefore.isEmpty && type == RD_KAFKA_EVENT_DR {
                    eventsBeforeCaughtUp -= 1
                    if eventsBeforeCaughtUp <= 0 { answer(&caughtUpBefore) }
                }
                continue
            }
            answer(&caughtUpBefore)
            if stopping { break }
        }
        // The queue is empty and stays unread: answer late registrations too, and any to come.
        for waiter in takeCaughtUpWaiters(finished: true) { waiter() }
        finishedSignal.signal()
    }

    private func answer(_ waiters: inout [@Sendable () -> Void]) {
        for waiter in waiters { waiter() }
        waiters.removeAll()
    }

    private func takeCaughtUpWaiters(finished: Bool) -> [@Sendable () -> Void] {
        caughtUpWaiters.withLock { waiters in
            let taken = waiters ?? []
            caughtUpWaiterCount.subtract(taken.count, ordering: .relaxed)
            waiters = finished ? nil : []
            return taken
        }
    }

    private func handle(_ event: OpaquePointer, type: rd_kafka_event_type_t) {
        switch Int32(type) {
        case Int32(RD_KAFKA_EVENT_DR):
            var total = 0
            var handedOut = 0
            var latency: Int64 = -1
            while true {
                if total + batchCapacity > heldMessagesLimit {
                    delegate.deliver(UnsafeMutableBufferPointer(start: decoded, count: total))
                    decoded.deinitialize(count: total)
                    handedOut += total
                    total = 0
                }
                reserveDecoded(total + batchCapacity, keeping: total)
                let count = rd_kafka_event_message_array(event, rawMessages, batchCapacity)
                if count == 0 { break }
                if total == 0, handedOut == 0, rawMessages[0]!.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    latency = rd_kafka_message_latency(rawMessages[0]!)
                }
                for index in 0..<count {
                    (decoded + total + index).initialize(to: decode(rawMessages[index]!))
                }
                total += count
            }
            // Destroying the event frees the messages and with them their room in the queue:
            // before any sender resumes, so that a caller who awaited a report finds its
            // record's room free. The decoded copies need nothing of the event.
            rd_kafka_event_destroy(event)
            if total > 0 {
                delegate.deliver(UnsafeMutableBufferPointer(start: decoded, count: total))
                decoded.deinitialize(count: total)
            }
            delegate.queueRoomFreed(count: handedOut + total)
            if latency >= 0 { delegate.acknowledged(latencyMicroseconds: latency) }
        case Int32(RD_KAFKA_EVENT_LOG):
            var facility: UnsafePointer<CChar>?
            var text: UnsafePointer<CChar>?
            var level: Int32 = 0
            if rd_kafka_event_log(event, &facility, &text, &level) == 0 {
                delegate.log(
                    level: level,
                    facility: facility.map { String(cString: $0) } ?? "",
                    message: text.map { String(cString: $0) } ?? ""
                )
            }
            rd_kafka_event_destroy(event)
        case Int32(RD_KAFKA_EVENT_ERROR):
            let code = rd_kafka_event_error(event)
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            let fatal = rd_kafka_event_error_is_fatal(event) != 0
            rd_kafka_event_destroy(event)
            delegate.clientError(NativeError(code: code.rawValue, message: text, isFatal: fatal))
        case Int32(RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH):
            let configuration = rd_kafka_event_config_string(event).map { String(cString: $0) }
            rd_kafka_event_destroy(event)
            delegate.oauthBearerTokenRefresh(configuration: configuration)
        case Int32(RD_KAFKA_EVENT_STATS):
            let json = rd_kafka_event_stats(event).map { String(cString: $0) } ?? "{}"
            rd_kafka_event_destroy(event)
            delegate.statistics(json)
        default:
            rd_kafka_event_destroy(event)
        }
    }

    /// Makes room for `capacity` decoded messages, moving the first `count` already decoded.
    private func reserveDecoded(_ capacity: Int, keeping count: Int) {
        guard capacity > decodedCapacity else { return }
        let grownCapacity = min(max(capacity, decodedCapacity * 2), heldMessagesLimit)
        let grown = UnsafeMutablePointer<DeliveredMessage>.allocate(capacity: grownCapacity)
        grown.moveInitialize(from: decoded, count: count)
        decoded.deallocate()
        decoded = grown
        decodedCapacity = grownCapacity
    }

    private func decode(_ message: UnsafePointer<rd_kafka_message_t>) -> DeliveredMessage {
        let fields = message.pointee
        let failed = fields.err != RD_KAFKA_RESP_ERR_NO_ERROR
        // librdkafka answers "not available" for any failed message; UndeliveredRecord reads a
        // failed record's timestamp its own way.
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = failed ? -1 : rd_kafka_message_timestamp(message, &timestampType)
        return DeliveredMessage(
            opaque: fields._private,
            errorCode: failed ? fields.err.rawValue : nil,
            topic: topicName(fields.rkt),
            partition: fields.partition,
            offset: (failed || fields.offset < 0) ? nil : fields.offset,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || timestamp < 0 ? nil : timestamp,
            timestampIsLogAppendTime: timestampType == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME,
            undelivered: failed ? UndeliveredRecord(reading: message) : nil
        )
    }

    private func topicName(_ topic: OpaquePointer?) -> String {
        guard let topic else { return "" }
        if let lastTopic, lastTopic.handle == topic { return lastTopic.name }
        let name: String
        if let known = topicNames[topic] {
            name = known
        } else {
            name = String(cString: rd_kafka_topic_name(topic))
            topicNames[topic] = name
        }
        lastTopic = (topic, name)
        return name
    }
}
