/// The shape every waiter table of the producer shares: a caller reserves an id before it
/// suspends (so that a cancellation can name it), then registers its continuation, and leaves
/// by being resolved or cancelled.
///
/// Each id goes through reserved → waiting → removed. A cancellation can land at any point:
/// before registering it marks the id, so that the registration resolves at once; while waiting
/// it removes the waiter and hands its continuation back; after removal it finds nothing. So
/// every continuation is handed out exactly once. A pure value: its owner drives it under a lock
/// and resumes what it hands back outside the lock.
struct WaiterTable<Continuation, Payload> {
    private enum Entry {
        case reserved
        case cancelled
        case waiting(Continuation, Payload)
    }

    private var entries: [UInt64: Entry] = [:]
    /// Waiting ids in arrival order, so that "the longest waiter first" is cheap. Ids that left
    /// are skipped lazily; `head` is the first position that may still be waiting.
    private var order: [UInt64] = []
    private var head = 0
    private var nextID: UInt64 = 0

    /// How many callers are suspended (registered and not yet removed).
    private(set) var waitingCount = 0

    /// A fresh id, reserved before the caller suspends.
    mutating func reserve() -> UInt64 {
        defer { nextID &+= 1 }
        entries[nextID] = .reserved
        return nextID
    }

    /// Whether `id` was cancelled before it could register; if so it is forgotten.
    mutating func takeEarlyCancellation(_ id: UInt64) -> Bool {
        guard case .cancelled = entries[id] else { return false }
        entries[id] = nil
        return true
    }

    /// Forgets a reserved id that resolved without waiting.
    mutating func release(_ id: UInt64) {
        entries[id] = nil
    }

    /// Suspends reserved `id` with its continuation.
    mutating func register(_ id: UInt64, continuation: Continuation, payload: Payload) {
        guard case .reserved = entries[id] else { preconditionFailure("waiter \(id) registered twice or after cancellation") }
        entries[id] = .waiting(continuation, payload)
        order.append(id)
        waitingCount += 1
    }

    /// Cancels `id`: the continuation and payload if it was waiting, `nil` otherwise (marking a
    /// reserved id, so that its registration resolves as cancelled).
    mutating func cancel(_ id: UInt64) -> (Continuation, Payload)? {
        switch entries[id] {
        case .reserved:
            entries[id] = .cancelled
            return nil
        case .waiting:
            return remove(id)
        case .cancelled, nil:
            return nil
        }
    }

    /// Removes waiting `id`, if it still waits.
    mutating func remove(_ id: UInt64) -> (Continuation, Payload)? {
        guard case .waiting(let continuation, let payload) = entries[id] else { return nil }
        entries[id] = nil
        waitingCount -= 1
        compactOrder()
        return (continuation, payload)
    }

    /// Removes up to `count` waiters, longest waiting first.
    mutating func removeFirst(_ count: Int) -> [(Continuation, Payload)] {
        var removed: [(Continuation, Payload)] = []
        while removed.count < count, head < order.count {
            let id = order[head]
            head += 1
            if case .waiting(let continuation, let payload) = entries[id] {
                entries[id] = nil
                waitingCount -= 1
                removed.append((continuation, payload))
            }
        }
        compactOrder()
        return removed
    }

    /// Removes every waiter whose payload matches, in arrival order.
    mutating func removeAll(where matches: (Payload) -> Bool) -> [(Continuation, Payload)] {
        var removed: [(Continuation, Payload)] = []
        for id in order[head...] {
            guard case .waiting(let continuation, let payload) = entries[id], matches(payload) else { continue }
            entries[id] = nil
            waitingCount -= 1
            removed.append((continuation, payload))
        }
        compactOrder()
        return removed
    }

    /// The payloads of every waiter, in arrival order.
    var waitingPayloads: some Sequence<Payload> {
        order[head...].lazy.compactMap { id in
            if case .waiting(_, let payload) = entries[id] { return payload }
            return nil
        }
    }

    private mutating func compactOrder() {
        if waitingCount == 0 {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if order.count > 1024 && order.count > 2 * waitingCount {
            // Mostly ids that left (woken at the front, or cancelled anywhere): keep the live ones.
            order = order[head...].filter { id in
                if case .waiting = entries[id] { return true }
                return false
            }
            head = 0
        }
    }
}
