import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets any number of threads call into librdkafka at once until shutdown closes it, and lets
/// shutdown wait until the last of them has left before it flushes and destroys the handle.
///
/// One atomic word: bit 0 is "closed", the rest counts callers inside (in steps of 2). No lock
/// on the send path.
final class SendGate: Sendable {
    private let word = Atomic<Int>(0)

    /// Enters the gate; `false` once it is closed.
    func enter() -> Bool {
        let (_, entered) = word.wrappingAdd(2, ordering: .acquiring)
        if entered & 1 == 0 { return true }
        word.wrappingSubtract(2, ordering: .releasing)
        return false
    }

    /// Leaves the gate after a successful ``enter()``.
    func leave() {
        word.wrappingSubtract(2, ordering: .releasing)
    }

    var isClosed: Bool {
        word.load(ordering: .acquiring) & 1 != 0
    }

    /// Closes the gate and blocks until every caller inside has left. Callers stay inside for
    /// one librdkafka enqueue call (microseconds), so yielding the processor is enough.
    func closeAndWaitForCallers() {
        word.bitwiseOr(1, ordering: .acquiringAndReleasing)
        while word.load(ordering: .acquiring) != 1 {
            sched_yield()
        }
    }
}
