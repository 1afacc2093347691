internal import CRdKafka
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves the producer's main queue: delivery reports, logs and errors go to its delegate, all
/// the reports of a delivery event in one call.
///
/// Two kinds of thread serve it, one at a time, each popping and handling under one lock
/// (`serving`), so that events are handled in queue order:
/// - a sending thread, after each produce call (``serveReadyReports()``), handles what is ready
///   without waiting, and skips when nothing is or another thread is serving. This is the shape
///   of C's producer loop (`rd_kafka_poll(rk, 0)` after producing): librdkafka allocates each
///   message on the sending thread and frees it when its report is destroyed, so reports
///   destroyed on the sending thread are freed where they were allocated, in malloc's
///   per-thread cache rather than across threads under its arena lock;
/// - a dedicated thread serves when nobody sending does: it sleeps until an event lands in the
///   empty queue (librdkafka's queue callback writes a byte to a pipe), a waiter's deadline
///   comes (the delegate says when), or ``wake()`` is called. So an idle producer's reports
///   come as promptly as without senders serving.
///
/// Whoever serves clears `ready` and then pops until the queue is empty, so an event that lands
/// after its last pop lands in an empty queue: librdkafka calls back, which sets `ready` and
/// wakes the thread. A sender that stops before the queue is empty sets `ready` and wakes the
/// thread itself. The thread, once woken, serves even if it must wait for a sender to finish
/// first. So no event is left waiting while the thread sleeps.
///
/// `@unchecked Sendable`: `stopRequested` and `ready` are atomic; the buffers, the name cache
/// and the caught-up bookkeeping are touched only under `serving`.
package final class EventDrain: @unchecked Sendable {
    private let client: ClientHandle
    private let delegate: any EventDrainDelegate
    private let stopRequested = Atomic<Bool>(false)
    private let finishedSignal = DispatchSemaphore(value: 0)
    /// Held by whoever pops and handles events, for both: handling in queue order needs it.
    private let serving: UnsafeMutablePointer<pthread_mutex_t>
    /// Set when an event lands in the empty queue (librdkafka's queue callback), cleared by
    /// whoever serves before it pops: a sender serves only when it is set.
    private let ready = Atomic<Bool>(false)
    /// Written when the queue becomes non-empty and by ``wake()``.
    private let signalRead: Int32
    private let signalWrite: Int32
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
    /// hears its outcome. Grows with the events, up to ``heldMessagesLimit``.
    @exclusivity(unchecked) private var decoded: UnsafeMutablePointer<DeliveredMessage>
    @exclusivity(unchecked) private var decodedCapacity: Int
    /// Topic names by topic handle: handles live as long as the producer, so each name is
    /// converted from C once.
    /// Exclusivity is not checked at run time: these are touched only under `serving`.
    @exclusivity(unchecked) private var topicNames: [OpaquePointer: String] = [:]
    /// The previous report's topic: a delivery event's reports are usually all of one topic.
    @exclusivity(unchecked) private var lastTopic: (handle: OpaquePointer, name: String)?
    /// Callers waiting until every event queued before they asked has been handled; `nil` once
    /// the thread has finished (then a caller is answered at once).
    private let caughtUpWaiters = LockedValue<[@Sendable () -> Void]?>([])
    /// How many ``caughtUpWaiters`` are registered, read without the lock on every serve.
    private let caughtUpWaiterCount = Atomic<Int>(0)
    /// Waiters taken by a server, and how many events were queued when they were last added to.
    /// Delivery reports are queued at the tail and leave in order, so once that many reports
    /// have been handled, or a pop finds the queue empty, every report queued before they
    /// registered has been handled. Only reports count down: logs, statistics and token
    /// refreshes are queued ahead of them (librdkafka gives those ops priority), so counting one
    /// could answer a waiter with a report still unhandled; not counting the ones already queued
    /// only makes the wait longer. Counting rather than waiting for an empty queue lets waiters
    /// be answered while reports keep arriving faster than they are handled.
    /// Touched only under `serving`.
    @exclusivity(unchecked) private var caughtUpBefore: [@Sendable () -> Void] = []
    @exclusivity(unchecked) private var eventsBeforeCaughtUp = 0

    package init(client: ClientHandle, delegate: any EventDrainDelegate) {
        self.client = client
        self.delegate = delegate
        rawMessages = .allocate(capacity: batchCapacity)
        decoded = .allocate(capacity: batchCapacity)
        decodedCapacity = batchCapacity
        serving = .allocate(capacity: 1)
        serving.initialize(to: pthread_mutex_t())
        let result = pthread_mutex_init(serving, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0, "pipe failed: \(errno)")
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        signalRead = ends[0]
        signalWrite = ends[1]
    }

    deinit {
        rawMessages.deallocate()
        decoded.deallocate()
        pthread_mutex_destroy(serving)
        serving.deinitialize(count: 1)
        serving.deallocate()
        close(signalRead)
        close(signalWrite)
    }

    /// Starts the thread.
    package func start() {
        // Unregistered when the thread ends; the thread holds this drain until then.
        rd_kafka_queue_cb_event_enable(client.mainQueue, eventDrainQueueBecameNonEmpty, Unmanaged.passUnretained(self).toOpaque())
        let thread = Thread { [self] in run() }
        thread.name = "rdkafka-drain"
        thread.start()
    }

    /// Interrupts the thread's wait so it re-reads its timeout and serves the queue.
    package func wake() {
        var byte: UInt8 = 1
        _ = write(signalWrite, &byte, 1)
    }

    /// Handles what is ready in the queue, on the calling thread, without blocking: call it on
    /// the sending thread after each produce call. One atomic load when nothing is ready; does
    /// nothing while another thread serves (that one pops until the queue is empty) or once the
    /// thread was asked to stop.
    @inline(__always)
    package func serveReadyReports() {
        guard ready.load(ordering: .relaxed) else { return }
        serveIfFree()
    }

    private func serveIfFree() {
        guard pthread_mutex_trylock(serving) == 0 else { return }
        if !stopRequested.load(ordering: .relaxed) { serve(sending: true) }
        pthread_mutex_unlock(serving)
    }

    /// Runs `body` while no thread serves the queue: reports wait until it returns. For tests
    /// that measure the send path alone. A send inside `body` skips serving; it never blocks.
    package func holdingReports<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(serving)
        defer {
            pthread_mutex_unlock(serving)
            // The thread may have skipped events while this held the lock without popping, and
            // those signal no more: hand them over.
            ready.store(true, ordering: .sequentiallyConsistent)
            wake()
        }
        return try body()
    }

    /// librdkafka's queue callback: an event landed in the empty queue.
    fileprivate func queueBecameNonEmpty() {
        ready.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    /// Asks the thread to finish once the queue is empty, and blocks until it has.
    /// Call it from a thread outside the cooperative pool.
    package func stopAndWait() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        wake()
        finishedSignal.wait()
    }

    /// Calls `body` once every event already in the queue has been handled (for example the
    /// reports of records just purged), on the thread that handled the last of them, or at
    /// once if the thread has finished.
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
        var descriptor = pollfd(fd: signalRead, events: Int16(POLLIN), revents: 0)
        var sink = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while true {
            let stopping = stopRequested.load(ordering: .sequentiallyConsistent)
            // Serving first also takes the events queued before the callback was set, which
            // never signal: librdkafka calls it only when an event lands in an empty queue.
            // It waits for a sender that is serving rather than skipping its turn: the signal
            // of an event that landed after that sender's last pop may be the one that woke it.
            pthread_mutex_lock(serving)
            serve(sending: false)
            pthread_mutex_unlock(serving)
            if stopping { break }
            var timeout = delegate.expireWaitersAndComputePollTimeout()
            if caughtUpWaiterCount.load(ordering: .acquiring) > 0 { timeout = 0 }
            if timeout != 0 { _ = poll(&descriptor, 1, timeout) }
            while withUnsafeMutableBytes(of: &sink, { read(signalRead, $0.baseAddress, $0.count) }) > 0 {}
        }
        // The queue is empty and stays unread: stop librdkafka's signals, and answer late
        // registrations too, and any to come.
        rd_kafka_queue_cb_event_enable(client.mainQueue, nil, nil)
        for waiter in takeCaughtUpWaiters(finished: true) { waiter() }
        finishedSignal.signal()
    }

    /// Pops and handles events until the queue is empty, or, on a sending thread, until the
    /// events queued when it began are handled: a send is not held while reports keep coming
    /// faster than they are handled (C's `rd_kafka_poll(rk, 0)` serves what it found too). One
    /// that stops with events left marks them ready and wakes the thread, so they are not left
    /// waiting. Call it holding `serving`.
    private func serve(sending: Bool) {
        ready.store(false, ordering: .sequentiallyConsistent)
        var budget = sending ? Int(rd_kafka_queue_length(client.mainQueue)) : Int.max
        while true {
            // One atomic load per event when nobody waits: the delivery path stays as it was.
            // Taken here rather than once per serve, so that waiters registered while a
            // sender serves are answered by it.
            if caughtUpWaiterCount.load(ordering: .acquiring) > 0 {
                let taken = takeCaughtUpWaiters(finished: false)
                if !taken.isEmpty {
                    caughtUpBefore += taken
                    eventsBeforeCaughtUp = Int(rd_kafka_queue_length(client.mainQueue))
                }
            }
            if budget <= 0 {
                if rd_kafka_queue_length(client.mainQueue) > 0 {
                    ready.store(true, ordering: .sequentiallyConsistent)
                    wake()
                    return
                }
                budget = 1
            }
            guard let event = rd_kafka_queue_poll(client.mainQueue, 0) else { break }
            budget -= 1
            let type = rd_kafka_event_type(event)
            handle(event, type: type)
            if !caughtUpBefore.isEmpty && type == RD_KAFKA_EVENT_DR {
                eventsBeforeCaughtUp -= 1
                if eventsBeforeCaughtUp <= 0 { answer(&caughtUpBefore) }
            }
        }
        answer(&caughtUpBefore)
    }

    private func answer(_ waiters: inout [@Sendable () -> Void]) {
        guard !waiters.isEmpty else { return }
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

/// librdkafka's queue callback, on one of its threads with the queue locked: hands over to the
/// drain it was registered with (which unregisters it before it can go away).
private func eventDrainQueueBecameNonEmpty(_ client: OpaquePointer?, _ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    Unmanaged<EventDrain>.fromOpaque(opaque).takeUnretainedValue().queueBecameNonEmpty()
}
