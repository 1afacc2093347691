extension QueueRoomWaiters {
    /// The decisions of ``QueueRoomWaiters``: a pure state machine over a ``WaiterTable``, driven
    /// under the shell's lock; the shell resumes whatever continuation an event hands back,
    /// outside it. Generic over the continuation so that the unit tests can stand in numbers.
    ///
    /// Two promises, each kept by the machine itself rather than by its callers:
    /// - **No waiter outlives its deadline.** The machine remembers when the drain thread was told
    ///   to wake next; a registration whose deadline comes sooner asks for a wake-up, whatever
    ///   waiters came and went before it. The earliest deadline is recomputed after any waiter left
    ///   (woken, expired or cancelled).
    /// - **Freed room is never stranded.** Room for `count` records wakes the `count` longest
    ///   waiters; a woken waiter always retries, and one whose retry does not find the queue full
    ///   wakes the next with ``turnUnused()`` (a queue limited by bytes can take more records than
    ///   were reported), until a retry finds the queue full again.
    struct StateMachine<Continuation> {
        /// What a registration asks of the caller.
        enum Registration: Equatable {
            /// Suspended; `wakeDrain` when the drain thread must recompute its poll timeout
            /// because it sleeps past this waiter's deadline.
            case wait(wakeDrain: Bool)
            /// Resume at once with this outcome.
            case resume(Outcome)
        }

        private var table = WaiterTable<Continuation, ContinuousClock.Instant>()
        private(set) var isClosed = false
        /// The earliest deadline among waiters; `nil` with none. Exact unless `earliestIsStale`.
        private var earliestDeadline: ContinuousClock.Instant?
        /// A waiter left since `earliestDeadline` was computed, so it may be too early.
        private var earliestIsStale = false
        /// When the drain thread's current poll ends at the latest, as last computed by
        /// ``pollTimeoutMilliseconds(now:)`` or asked for by a registration; `nil` for "never".
        private(set) var drainWakesAt: ContinuousClock.Instant?

        /// How many waiters are suspended.
        var waitingCount: Int { table.waitingCount }

        /// A fresh id, reserved before the task suspends so that a cancellation can name it.
        mutating func reserve() -> UInt64 {
            table.reserve()
        }

        /// Suspends waiter `id` until room, its deadline, cancellation or shutdown.
        /// `roomFreedSinceAttempt` is true when a report freed room after the failed enqueue.
        mutating func register(
            _ id: UInt64,
            continuation: Continuation,
            deadline: ContinuousClock.Instant,
            roomFreedSinceAttempt: Bool
        ) -> Registration {
            if table.takeEarlyCancellation(id) { return .resume(.cancelled) }
            let immediate: Outcome? = isClosed ? .shutdown : (roomFreedSinceAttempt ? .retry : nil)
            if let immediate {
                table.release(id)
                return .resume(immediate)
            }
            table.register(id, continuation: continuation, payload: deadline)
            if !earliestIsStale, earliestDeadline.map({ deadline < $0 }) ?? true { earliestDeadline = deadline }
            let wakeDrain = drainWakesAt.map { deadline < $0 } ?? true
            // The drain, once woken, computes a timeout no later than this deadline.
            if wakeDrain { drainWakesAt = deadline }
            return .wait(wakeDrain: wakeDrain)
        }

        /// Cancels waiter `id`; returns its continuation if it was suspended.
        mutating func cancel(_ id: UInt64) -> Continuation? {
            guard let (continuation, _) = table.cancel(id) else { return nil }
            earliestIsStale = true
            return continuation
        }

        /// Room for `count` records was freed: the longest waiters, up to `count`, retry.
        mutating func roomFreed(count: Int) -> [Continuation] {
            guard count > 0, table.waitingCount > 0 else { return [] }
            return leave(table.removeFirst(count))
        }

        /// A woken waiter's retry did not find the queue full (it enqueued, or failed for another
        /// reason): room may remain, so the next one retries too.
        mutating func turnUnused() -> Continuation? {
            leave(table.removeFirst(1)).first
        }

        /// Waiters whose deadline is at or before `now`.
        mutating func expire(now: ContinuousClock.Instant) -> [Continuation] {
            recomputeEarliestIfStale()
            guard let earliest = earliestDeadline, earliest <= now else { return [] }
            return leave(table.removeAll { $0 <= now })
        }

        /// Shutdown: every waiter resolves, and later registrations resolve at once.
        mutating func close() -> [Continuation] {
            isClosed = true
            return leave(table.removeAll { _ in true })
        }

        /// How long the drain thread may block: -1 with no waiter, else until just past the earliest
        /// deadline. Remembers the answer, so that a registration knows whether to wake the drain.
        mutating func pollTimeoutMilliseconds(now: ContinuousClock.Instant) -> Int32 {
            recomputeEarliestIfStale()
            drainWakesAt = earliestDeadline
            guard let earliest = earliestDeadline else { return -1 }
            return Self.millisecondsPast(earliest - now)
        }

        /// Whole milliseconds until just after `remaining` (one past it, so that the poll that wakes
        /// finds the deadline passed rather than a sliver early), saturating at `Int32.max`: a
        /// deadline decades away must not overflow.
        static func millisecondsPast(_ remaining: Duration) -> Int32 {
            if remaining <= .zero { return 0 }
            // Checked before `components`, which traps past Int64 seconds.
            if remaining >= .milliseconds(Int32.max) { return Int32.max }
            let (seconds, attoseconds) = remaining.components
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow, whole < Int64(Int32.max) else { return Int32.max }
            return Int32(clamping: whole + attoseconds / 1_000_000_000_000_000 + 1)
        }

        private mutating func leave(_ removed: [(Continuation, ContinuousClock.Instant)]) -> [Continuation] {
            if !removed.isEmpty { earliestIsStale = true }
            return removed.map(\.0)
        }

        private mutating func recomputeEarliestIfStale() {
            guard earliestIsStale else { return }
            earliestIsStale = false
            earliestDeadline = table.waitingPayloads.min()
        }
    }
}
