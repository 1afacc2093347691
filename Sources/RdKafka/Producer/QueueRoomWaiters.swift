/// How a wait for queue room ends.
enum RoomWaitOutcome: Equatable {
    /// Room may be free: try again.
    case retry
    /// The deadline passed with the queue still full.
    case timedOut
    /// The waiting task was cancelled.
    case cancelled
    /// The producer is shutting down.
    case shutdown
}

/// The sends waiting for room in a full local queue: a pure state machine, driven under the
/// producer's lock; the caller resumes whatever continuation an event hands back, outside it.
///
/// Each waiter goes through: reserved (its id exists, no continuation yet) → waiting → resolved
/// (removed). Cancellation can land in any of them: before registering it marks the id so that
/// the registration resolves at once; while waiting it removes the waiter and hands its
/// continuation back; after resolution it finds nothing and does nothing. So every
/// continuation is resumed exactly once.
struct QueueRoomWaiters<Continuation> {
    enum Entry {
        case reserved
        case cancelled
        case waiting(Continuation, deadline: ContinuousClock.Instant)
    }

    /// What a registration asks of the caller.
    enum Registration: Equatable {
        /// Suspended; `wakeDrain` when the drain thread must recompute its poll timeout
        /// (this waiter's deadline is now the earliest).
        case wait(wakeDrain: Bool)
        /// Resume at once with this outcome.
        case resume(RoomWaitOutcome)
    }

    private var entries: [UInt64: Entry] = [:]
    /// Waiting ids in arrival order, so room goes first to who waited longest. Ids no longer
    /// waiting are skipped lazily; `head` is the first live position.
    private var order: [UInt64] = []
    private var head = 0
    private var nextID: UInt64 = 0
    private(set) var isClosed = false
    /// The earliest deadline among waiters, or nil; kept exact on registration, recomputed on expiry.
    private(set) var earliestDeadline: ContinuousClock.Instant?

    /// How many waiters are suspended.
    private(set) var waitingCount = 0

    /// A fresh id, reserved before the task suspends so that a cancellation can name it.
    mutating func reserve() -> UInt64 {
        defer { nextID &+= 1 }
        entries[nextID] = .reserved
        return nextID
    }

    /// Suspends waiter `id` until room, its deadline, cancellation or shutdown.
    /// `roomFreedSinceAttempt` is true when a report freed room after the failed enqueue.
    mutating func register(
        _ id: UInt64,
        continuation: Continuation,
        deadline: ContinuousClock.Instant,
        roomFreedSinceAttempt: Bool
    ) -> Registration {
        guard let entry = entries[id] else { preconditionFailure("waiter \(id) registered twice") }
        if case .cancelled = entry {
            entries[id] = nil
            return .resume(.cancelled)
        }
        if isClosed {
            entries[id] = nil
            return .resume(.shutdown)
        }
        if roomFreedSinceAttempt {
            entries[id] = nil
            return .resume(.retry)
        }
        entries[id] = .waiting(continuation, deadline: deadline)
        order.append(id)
        waitingCount += 1
        let becomesEarliest = earliestDeadline.map { deadline < $0 } ?? true
        if becomesEarliest { earliestDeadline = deadline }
        return .wait(wakeDrain: becomesEarliest)
    }

    /// Cancels waiter `id`; returns its continuation if it was suspended.
    mutating func cancel(_ id: UInt64) -> Continuation? {
        switch entries[id] {
        case .reserved:
            entries[id] = .cancelled
            return nil
        case .waiting(let continuation, _):
            entries[id] = nil
            waitingCount -= 1
            return continuation
        case .cancelled, nil:
            return nil
        }
    }

    /// Room for `count` records was freed: the longest waiters, up to `count`, may retry.
    mutating func roomFreed(count: Int) -> [Continuation] {
        guard waitingCount > 0, count > 0 else { return [] }
        var woken: [Continuation] = []
        while woken.count < count, head < order.count {
            let id = order[head]
            head += 1
            if case .waiting(let continuation, _) = entries[id] {
                entries[id] = nil
                waitingCount -= 1
                woken.append(continuation)
            }
        }
        compactOrder()
        return woken
    }

    /// Waiters whose deadline is at or before `now`.
    mutating func expire(now: ContinuousClock.Instant) -> [Continuation] {
        guard let earliest = earliestDeadline, earliest <= now else { return [] }
        var expired: [Continuation] = []
        var nextEarliest: ContinuousClock.Instant?
        for position in head..<order.count {
            let id = order[position]
            guard case .waiting(let continuation, let deadline) = entries[id] else { continue }
            if deadline <= now {
                entries[id] = nil
                waitingCount -= 1
                expired.append(continuation)
            } else if nextEarliest.map({ deadline < $0 }) ?? true {
                nextEarliest = deadline
            }
        }
        earliestDeadline = nextEarliest
        compactOrder()
        return expired
    }

    /// Shutdown: every waiter resolves, and later registrations resolve at once.
    mutating func close() -> [Continuation] {
        isClosed = true
        var all: [Continuation] = []
        for id in order[head...] {
            if case .waiting(let continuation, _) = entries[id] {
                entries[id] = nil
                all.append(continuation)
            }
        }
        waitingCount = 0
        order.removeAll()
        head = 0
        earliestDeadline = nil
        return all
    }

    /// How long the drain thread may block: -1 with no waiter, else until the earliest deadline.
    func pollTimeoutMilliseconds(now: ContinuousClock.Instant) -> Int32 {
        guard waitingCount > 0, let earliest = earliestDeadline else { return -1 }
        let remaining = earliest - now
        if remaining <= .zero { return 0 }
        // One millisecond past the deadline, so the poll that wakes finds it expired rather
        // than a sliver early, which would cost another 0 ms poll.
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: milliseconds)
    }

    private mutating func compactOrder() {
        if waitingCount == 0 {
            order.removeAll(keepingCapacity: true)
            head = 0
            earliestDeadline = nil
        } else if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
