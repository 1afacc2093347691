import Dispatch
import Synchronization

/// Lets any number of threads call into librdkafka at once until shutdown closes it, and lets
/// shutdown wait until the last of them has left: the producer's "handle alive" gate, closed just
/// before the handle is destroyed. (Sends have their own, in ``RecordsInFlight``.)
///
/// One atomic word: bit 0 is "closed", the rest counts callers inside (in steps of 2). No lock
/// on the send path. The caller that leaves a closed gate empty signals the closer.
final class HandleGate: Sendable {
    private let word = Atomic<Int>(0)
    private let emptied = DispatchSemaphore(value: 0)

    /// Enters the gate; `false` once it is closed.
    func enter() -> Bool {
        let (_, entered) = word.wrappingAdd(2, ordering: .acquiring)
        if entered & 1 == 0 { return true }
        leave()
        return false
    }

    /// Whether the gate has closed: every later ``enter()`` fails.
    var isClosed: Bool {
        word.load(ordering: .acquiring) & 1 == 1
    }

    /// Leaves the gate after a successful ``enter()`` (and undoes a refused one).
    func leave() {
        let (_, left) = word.wrappingSubtract(2, ordering: .acquiringAndReleasing)
        // Closed and empty. A refused late caller may signal too; the closer waits only once,
        // so an extra signal is never consumed wrongly.
        if left == 1 { emptied.signal() }
    }

    /// Closes the gate and blocks until every caller inside has left: senders stay inside for
    /// one enqueue call, a flush for at most its timeout.
    /// Call it off the cooperative pool.
    func closeAndWaitForCallers() {
        let (_, closed) = word.bitwiseOr(1, ordering: .acquiringAndReleasing)
        if closed != 1 { emptied.wait() }
        // Pairs with the last caller's releasing `leave()`, so everything the callers wrote is
        // visible from here on (the semaphore orders it too, but not in a way TSan can see).
        _ = word.load(ordering: .acquiring)
    }
}
