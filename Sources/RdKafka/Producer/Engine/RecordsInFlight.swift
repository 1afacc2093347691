import Dispatch

/// The one owner of records in flight: which senders are inside librdkafka's produce call,
/// which awaited senders and batches wait for reports, how many accepted records are
/// unreported and how many were purged. The rules live in ``StateMachine``; this shell takes
/// its lock, and signals and resumes outside it.
///
/// The send path calls ``handOver(awaiting:)`` and ``handedOver(accepted:awaiting:)`` around
/// every produce call, the drain's delegate calls ``reported(count:purged:awaitingKeys:)``
/// once per delivery event before it resumes anyone, and shutdown calls ``closeAndWaitForSenders()``
/// and, once no report can come, ``takeLeftovers()``.
final class RecordsInFlight: Sendable {
    private let machine = LockedValue(StateMachine<BatchCollector>())
    /// Signalled by the last sender to leave a closing producer.
    private let sendersGone = DispatchSemaphore(value: 0)

    /// Before handing a record to librdkafka; `false` once shutdown has begun.
    /// `awaiting` is an awaited sender's key, registered before librdkafka can report it.
    @inline(__always)
    func handOver(awaiting key: UInt? = nil) -> Bool {
        machine.withLock { $0.handOver(awaiting: key) }
    }

    /// After librdkafka's produce call returned for a record handed over.
    @inline(__always)
    func handedOver(accepted: Bool, awaiting key: UInt? = nil) {
        if machine.withLock({ $0.handedOver(accepted: accepted, awaiting: key) }) == .releaseCloser {
            sendersGone.signal()
        }
    }

    /// One delivery event's reports, before any of its senders is resumed.
    func reported(count: Int, purged: Int, awaitingKeys: some Sequence<UInt>) {
        machine.withLock { $0.reported(count: count, purged: purged, awaitingKeys: awaitingKeys) }
    }

    func batchStarted(_ batch: BatchCollector) {
        machine.withLock { $0.batchStarted(batch) }
    }

    func batchEnded(_ batch: BatchCollector) {
        machine.withLock { $0.batchEnded(batch) }
    }

    /// Records librdkafka accepted whose report has not been handled yet: may lag, never leads.
    var outstanding: Int {
        machine.withLock { $0.outstanding }
    }

    /// Records reported with a purge error so far.
    var purgedReports: Int {
        machine.withLock { $0.purgedReports }
    }

    /// Whether shutdown has begun: no record is handed over any more.
    var isClosed: Bool {
        machine.withLock { $0.isClosed }
    }

    /// Awaited senders and batches registered; for tests of the release paths.
    var registeredCallers: Int {
        machine.withLock { $0.registeredCallers }
    }

    /// Fire-and-forget records never reported before the handle was destroyed.
    var droppedAtClose: Int {
        machine.withLock { $0.droppedAtClose }
    }

    /// Refuses every later hand-over and blocks until the senders inside librdkafka have left.
    /// Call it off the cooperative pool.
    func closeAndWaitForSenders() {
        if machine.withLock({ $0.close() }) == .waitForSenders { sendersGone.wait() }
    }

    /// Every registered caller and the unreported count, once no report can come; see
    /// ``StateMachine/takeLeftovers()``.
    func takeLeftovers() -> StateMachine<BatchCollector>.Leftovers {
        machine.withLock { $0.takeLeftovers() }
    }

    /// Of `unreported` leftovers, `failedCallers` had a caller; the rest count as dropped.
    func leftoversFailed(unreported: Int, failedCallers: Int) {
        machine.withLock { $0.leftoversFailed(unreported: unreported, failedCallers: failedCallers) }
    }
}
