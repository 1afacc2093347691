extension DeliveryReportBuffer {
    /// The decisions of ``DeliveryReportBuffer``: the bounded ring of outcomes and the readers
    /// waiting for them. A value type fed events; each returns what the shell must do (resume a
    /// reader, with what), which the shell does outside its lock.
    ///
    /// Every outcome appended is either handed to a reader or counted in ``dropped``: a reader
    /// waiting when outcomes arrive takes all of them, however many; the ring keeps the newest
    /// `capacity` and counts what it overwrites; an iterator abandoned with outcomes unread gives
    /// them back (``giveBack(_:)``) instead of losing them.
    ///
    /// Readers are reserved before they suspend, so a cancellation can land before, during or after
    /// the wait and the reader is resumed exactly once.
    ///
    /// Generic over the waiter so the unit tests can stand in numbers for continuations.
    struct StateMachine<Waiter> {
        typealias Chunk = [DeliveryOutcome]

        let capacity: Int
        /// Oldest first from `start`, wrapping once `ring` has reached the capacity.
        private var ring: [DeliveryOutcome] = []
        private var start = 0
        private(set) var finished = false
        /// Outcomes overwritten or given back past the capacity before anyone read them.
        private(set) var dropped = 0
        private var readers: [UInt64: Reader] = [:]
        private var nextID: UInt64 = 0

        private enum Reader {
            case reserved
            case cancelled
            case waiting(Waiter)

            var waiter: Waiter? {
                if case .waiting(let waiter) = self { return waiter }
                return nil
            }
        }

        init(capacity: Int) {
            self.capacity = max(1, capacity)
        }

        /// What an append or a give-back asks of the shell.
        enum Delivery {
            /// Resume the waiting reader with these outcomes.
            case resume(Waiter, Chunk)
            /// The outcomes were buffered; the ring overwrote this many older ones to make room.
            case buffered(dropped: Int)
        }

        /// What a reader registering its continuation must do.
        enum Registration {
            /// Suspend: an append, a finish or a cancellation will resume it.
            case wait
            /// Resume at once with these outcomes, or with `nil` (cancelled, or finished and empty).
            case resume(Chunk?)
        }

        var bufferedCount: Int { ring.count }

        var waitingReaderCount: Int {
            readers.values.count { if case .waiting = $0 { true } else { false } }
        }

        // MARK: Events from the drain thread

        /// A delivery event's outcomes, oldest first.
        mutating func append(_ outcomes: Chunk) -> Delivery {
            if let waiter = takeWaitingReader() {
                // A reader waits only while the ring is empty, so the outcomes are handed over as
                // they are, without a copy; should the ring not be empty, its older ones go first.
                guard let older = takeBuffered() else { return .resume(waiter, outcomes) }
                return .resume(waiter, older + outcomes)
            }
            var overwritten = 0
            for outcome in outcomes {
                if ring.count < capacity {
                    ring.append(outcome)
                } else {
                    ring[start] = outcome
                    start = (start + 1) % capacity
                    overwritten += 1
                }
            }
            dropped += overwritten
            return .buffered(dropped: overwritten)
        }

        /// Ends the sequence: returns the waiting readers, to be resumed with `nil`. Outcomes still
        /// buffered stay readable.
        mutating func finish() -> [Waiter] {
            finished = true
            var waiters: [Waiter] = []
            while let waiter = takeWaitingReader() { waiters.append(waiter) }
            return waiters
        }

        // MARK: Events from readers

        /// Everything buffered, oldest first, or `nil` if nothing is.
        mutating func takeBuffered() -> Chunk? {
            guard !ring.isEmpty else { return nil }
            let chunk: Chunk = start == 0 ? ring : Array(ring[start...] + ring[..<start])
            // The chunk now shares the ring's storage; keeping its capacity would copy it at full
            // size on every take, so the ring starts small again and grows only as far as needed.
            ring = []
            start = 0
            return chunk
        }

        /// A reader is about to suspend: its identity, for ``registerReader(_:waiter:)`` and
        /// ``cancelReader(_:)``.
        mutating func reserveReader() -> UInt64 {
            defer { nextID &+= 1 }
            readers[nextID] = .reserved
            return nextID
        }

        /// The reserved reader's continuation, now that it has one.
        mutating func registerReader(_ id: UInt64, waiter: Waiter) -> Registration {
            guard case .reserved = readers[id] else {
                // Cancelled between reserving and registering.
                readers[id] = nil
                return .resume(nil)
            }
            if let chunk = takeBuffered() {
                readers[id] = nil
                return .resume(chunk)
            }
            if finished {
                readers[id] = nil
                return .resume(nil)
            }
            readers[id] = .waiting(waiter)
            return .wait
        }

        /// The reading task was cancelled: returns the reader's continuation if it was waiting (to
        /// be resumed with `nil`), exactly once.
        mutating func cancelReader(_ id: UInt64) -> Waiter? {
            switch readers[id] {
            case .reserved:
                readers[id] = .cancelled
                return nil
            case .waiting(let waiter):
                readers[id] = nil
                return waiter
            case .cancelled, nil:
                return nil
            }
        }

        /// Outcomes an iterator took but never handed out (the loop over it ended early): they go
        /// back in front of the newer ones, so the next reader gets them in order. Past the
        /// capacity the oldest are dropped and counted.
        mutating func giveBack(_ unread: ArraySlice<DeliveryOutcome>) -> Delivery {
            guard !unread.isEmpty else { return .buffered(dropped: 0) }
            if let waiter = takeWaitingReader() {
                return .resume(waiter, Array(unread) + (takeBuffered() ?? []))
            }
            let combined = Array(unread) + (takeBuffered() ?? [])
            let overflow = max(0, combined.count - capacity)
            ring = Array(combined.dropFirst(overflow))
            dropped += overflow
            return .buffered(dropped: overflow)
        }

        private mutating func takeWaitingReader() -> Waiter? {
            guard let (id, waiter) = readers.lazy.compactMap({ id, reader in reader.waiter.map { (id, $0) } }).first else { return nil }
            readers[id] = nil
            return waiter
        }
    }
}
