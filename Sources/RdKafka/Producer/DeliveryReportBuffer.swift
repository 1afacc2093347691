/// The buffer behind ``DeliveryReports``: the drain thread appends each delivery event's
/// outcomes under one lock, and a reader takes everything buffered under one lock, so the cost
/// per outcome is an array append, not a lock and a task wake-up each.
///
/// Bounded: a ring of at most `capacity` outcomes. When it is full the oldest is overwritten
/// and counted as dropped, so an unread buffer never grows and never slows the drain.
@usableFromInline
final class DeliveryReportBuffer: Sendable {
    @usableFromInline typealias Chunk = [DeliveryOutcome]
    typealias Waiter = UnsafeContinuation<Chunk?, Never>

    private struct State {
        /// Oldest first from `start`, wrapping once `ring` has reached the capacity.
        var ring: [DeliveryOutcome] = []
        var start = 0
        var finished = false
        var dropped = 0
        /// Readers between asking and being answered: reserved before they suspend, so a
        /// cancellation can land before, during or after the wait and resume exactly once.
        var readers: [UInt64: Reader] = [:]
        var nextID: UInt64 = 0

        mutating func takeWaitingReader() -> Waiter? {
            guard let (id, waiter) = readers.lazy.compactMap({ id, reader in reader.waiter.map { (id, $0) } }).first else { return nil }
            readers[id] = nil
            return waiter
        }
    }

    private enum Reader {
        case reserved
        case cancelled
        case waiting(Waiter)

        var waiter: Waiter? {
            if case .waiting(let waiter) = self { return waiter }
            return nil
        }
    }

    private let state = LockedValue(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// How many outcomes were overwritten before anyone read them.
    var droppedCount: Int {
        state.withLock { $0.dropped }
    }

    /// Adds a delivery event's outcomes; hands them straight to a waiting reader if there is one.
    /// Returns how many older outcomes this append overwrote.
    func append(_ outcomes: Chunk) -> Int {
        guard !outcomes.isEmpty else { return 0 }
        let (waiter, chunk, dropped) = state.withLock { state -> (Waiter?, Chunk?, Int) in
            if state.ring.isEmpty, let waiter = state.takeWaitingReader() {
                return (waiter, Array(outcomes.suffix(capacity)), max(0, outcomes.count - capacity))
            }
            var dropped = 0
            for outcome in outcomes {
                if state.ring.count < capacity {
                    state.ring.append(outcome)
                } else {
                    state.ring[state.start] = outcome
                    state.start = (state.start + 1) % capacity
                    dropped += 1
                }
            }
            state.dropped += dropped
            return (nil, nil, dropped)
        }
        waiter?.resume(returning: chunk)
        return dropped
    }

    /// Ends the sequence: readers get what is buffered, then `nil`.
    func finish() {
        let waiters = state.withLock { state -> [Waiter] in
            state.finished = true
            var waiters: [Waiter] = []
            while let waiter = state.takeWaitingReader() { waiters.append(waiter) }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Everything buffered, oldest first; waits while the buffer is empty. `nil` once finished
    /// and empty, or when the reading task is cancelled.
    @usableFromInline
    func next() async -> Chunk? {
        if let chunk = state.withLock({ Self.takeAll(&$0) }) { return chunk }
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID &+= 1 }
            state.readers[state.nextID] = .reserved
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: Waiter) in
                let immediate = state.withLock { state -> Chunk?? in
                    if case .cancelled = state.readers[id] {
                        state.readers[id] = nil
                        return .some(nil)
                    }
                    if let chunk = Self.takeAll(&state) {
                        state.readers[id] = nil
                        return .some(chunk)
                    }
                    if state.finished {
                        state.readers[id] = nil
                        return .some(nil)
                    }
                    state.readers[id] = .waiting(continuation)
                    return .none
                }
                if case .some(let result) = immediate { continuation.resume(returning: result) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                switch state.readers[id] {
                case .reserved:
                    state.readers[id] = .cancelled
                    return nil
                case .waiting(let waiter):
                    state.readers[id] = nil
                    return waiter
                case .cancelled, nil:
                    return nil
                }
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Takes the buffered outcomes in order, or `nil` if there are none.
    private static func takeAll(_ state: inout State) -> Chunk? {
        guard !state.ring.isEmpty else { return nil }
        let chunk: Chunk
        if state.start == 0 {
            chunk = state.ring
        } else {
            chunk = Array(state.ring[state.start...] + state.ring[..<state.start])
        }
        // The chunk now shares the ring's storage; keeping its capacity would copy it at full
        // size on every take, so the ring starts small again and grows only as far as needed.
        state.ring = []
        state.start = 0
        return chunk
    }
}
