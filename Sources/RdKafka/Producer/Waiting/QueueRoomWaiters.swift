import Synchronization

/// The sends waiting for room in a full local queue. Decides under its lock (the decisions are
/// its ``StateMachine``'s) and resumes outside it. Shared by the producer's send path (which
/// waits) and the drain's delegate (which frees room and enforces deadlines); it holds neither.
final class QueueRoomWaiters: Sendable {
    /// How a wait for queue room ends.
    enum Outcome: Equatable {
        /// Room may be free: try again.
        case retry
        /// The deadline passed with the queue still full.
        case timedOut
        /// The waiting task was cancelled.
        case cancelled
        /// The producer is shutting down.
        case shutdown
    }

    /// A waiting send's continuation: resumed with what ended the wait.
    typealias Continuation = UnsafeContinuation<Outcome, Never>

    private let waiters = LockedValue(StateMachine<Continuation>())
    /// Bumped after every delivery event frees room, before waiters are woken; a send that saw
    /// the queue full compares it to learn whether room was freed while it was registering.
    private let generation = Atomic<UInt64>(0)

    /// A token to take before an enqueue attempt and hand to ``wait(until:since:wakeDrain:)``
    /// if the attempt found the queue full.
    var token: UInt64 {
        generation.load(ordering: .sequentiallyConsistent)
    }

    /// Suspends until room is freed, `deadline` passes, the task is cancelled or the producer
    /// shuts down. `wakeDrain` is called when the drain thread must shorten its sleep.
    func wait(until deadline: ContinuousClock.Instant, since token: UInt64, wakeDrain: () -> Void) async -> Outcome {
        let id = waiters.withLock { $0.reserve() }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: Continuation) in
                let registration = waiters.withLock {
                    $0.register(
                        id, continuation: continuation, deadline: deadline,
                        roomFreedSinceAttempt: generation.load(ordering: .sequentiallyConsistent) != token)
                }
                switch registration {
                case .wait(let wake):
                    if wake { wakeDrain() }
                case .resume(let outcome):
                    continuation.resume(returning: outcome)
                }
            }
        } onCancel: {
            waiters.withLock { $0.cancel(id) }?.resume(returning: .cancelled)
        }
    }

    /// A delivery event freed room for `count` records.
    func roomFreed(count: Int) {
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        for continuation in waiters.withLock({ $0.roomFreed(count: count) }) {
            continuation.resume(returning: .retry)
        }
    }

    /// A woken send's retry did not find the queue full; the next waiter tries too.
    func turnUnused() {
        waiters.withLock { $0.turnUnused() }?.resume(returning: .retry)
    }

    /// Ends the waits past their deadline; returns how long the drain may block.
    func expireAndComputePollTimeout() -> Int32 {
        let now = ContinuousClock.now
        let (expired, timeout) = waiters.withLock { ($0.expire(now: now), $0.pollTimeoutMilliseconds(now: now)) }
        for continuation in expired { continuation.resume(returning: .timedOut) }
        return timeout
    }

    /// Shutdown: every waiter, and every later one, resolves with `.shutdown`.
    func close() {
        for continuation in waiters.withLock({ $0.close() }) { continuation.resume(returning: .shutdown) }
    }
}
