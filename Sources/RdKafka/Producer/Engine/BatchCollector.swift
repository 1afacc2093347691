/// One record's place in a ``BatchCollector``: what its delivery report needs to find the
/// collector and the slot for its result.
struct BatchEntry {
    let collector: Unmanaged<BatchCollector>
    let index: Int
}

/// Gathers the outcomes of one ``KafkaProducer/send(contentsOf:)`` call and resumes its caller
/// once, when the last one is in.
///
/// Ownership: the entry table is allocated once per batch, and the collector holds one retain
/// on itself from creation until its last outcome is recorded, so it outlives every pointer
/// librdkafka holds into it without a retain per record.
final class BatchCollector: Sendable {
    typealias Outcome = Result<DeliveryReport, KafkaError>

    /// Guarded by ``state``'s lock, as is every slot of ``results`` and ``filled``.
    private struct State {
        var remaining: Int
        var continuation: CheckedContinuation<[Outcome], Never>?
        /// Set once the outcomes were moved out of ``results`` into the caller's array.
        var handedOut = false
    }

    private let state: LockedValue<State>
    /// Each record's outcome, initialized when it arrives and moved out once, when the last one
    /// is in: a buffer rather than an array of optionals, so that no outcome is copied on its way
    /// to the caller. Touched only under ``state``'s lock.
    private nonisolated(unsafe) let results: UnsafeMutablePointer<Outcome>
    /// Which slots of ``results`` hold an outcome. Touched only under ``state``'s lock.
    private nonisolated(unsafe) let filled: UnsafeMutablePointer<Bool>
    private nonisolated(unsafe) let entries: UnsafeMutablePointer<BatchEntry>
    /// Which records librdkafka accepted: written by each sender before it leaves
    /// ``RecordsInFlight``, read by shutdown only once every sender has left, which orders the two.
    private nonisolated(unsafe) let accepted: UnsafeMutablePointer<Bool>
    let count: Int

    init(count: Int) {
        self.count = count
        state = LockedValue(State(remaining: count, continuation: nil))
        results = .allocate(capacity: max(count, 1))
        filled = .allocate(capacity: max(count, 1))
        filled.initialize(repeating: false, count: max(count, 1))
        entries = .allocate(capacity: max(count, 1))
        accepted = .allocate(capacity: max(count, 1))
        accepted.initialize(repeating: false, count: max(count, 1))
        let unmanaged = Unmanaged.passUnretained(self)
        for index in 0..<count {
            (entries + index).initialize(to: BatchEntry(collector: unmanaged, index: index))
        }
        // Released by the completion of the last record.
        if count > 0 { _ = unmanaged.retain() }
    }

    deinit {
        // The collector retains itself until its last outcome, so it ends with every slot filled;
        // they were moved out unless nobody ever asked for them (``outcomes()`` not called).
        if !state.withLock({ $0.handedOut }) {
            for index in 0..<count where filled[index] { (results + index).deinitialize(count: 1) }
        }
        results.deallocate()
        filled.deallocate()
        entries.deinitialize(count: count)
        entries.deallocate()
        accepted.deallocate()
    }

    /// The route of record `index`: its entry, which its report finds the collector by.
    func route(forRecordAt index: Int) -> MessageOpaque {
        .batchEntry(entries + index)
    }

    /// Notes that librdkafka accepted record `index`; called before its sender leaves
    /// ``RecordsInFlight``, so shutdown reads it only after.
    func markAccepted(_ index: Int) {
        accepted[index] = true
    }

    /// Fails every accepted record that has no outcome yet, for a shutdown that gave up waiting
    /// for their reports; returns how many. Call it only once no report can come any more.
    func failUnreported(with error: KafkaError) -> Int {
        var failed: [(Int, Outcome)] = []
        state.withLock { state in
            for index in 0..<count where accepted[index] && !filled[index] {
                failed.append((index, .failure(error)))
            }
        }
        if !failed.isEmpty { complete(failed) }
        return failed.count
    }

    /// Records the outcome of record `index`; resumes the caller if it was the last.
    func complete(_ index: Int, with result: Outcome) {
        complete(CollectionOfOne((index, result)))
    }

    /// Records several outcomes under one lock; resumes the caller if they were the last.
    func complete(_ outcomes: some Collection<(Int, Outcome)>) {
        let (finished, continuation) = state.withLock { state -> (Bool, CheckedContinuation<[Outcome], Never>?) in
            for (index, result) in outcomes {
                precondition(!filled[index], "a batch record was reported twice")
                (results + index).initialize(to: result)
                filled[index] = true
            }
            state.remaining -= outcomes.count
            guard state.remaining == 0 else { return (false, nil) }
            defer { state.continuation = nil }
            return (true, state.continuation)
        }
        guard finished else { return }
        continuation?.resume(returning: takeResults())
        Unmanaged.passUnretained(self).release()
    }

    /// Waits until every record has an outcome, and returns them in the records' order.
    func outcomes() async -> [Outcome] {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.remaining == 0 { return true }
                state.continuation = continuation
                return false
            }
            if done { continuation.resume(returning: takeResults()) }
        }
    }

    /// Whether a caller is suspended in ``outcomes()``; for tests of the waiting path.
    var hasWaiter: Bool {
        state.withLock { $0.continuation != nil }
    }

    /// Moves every outcome into the caller's array; called once, after the last one arrived.
    private func takeResults() -> [Outcome] {
        state.withLock { state in
            precondition(state.remaining == 0 && !state.handedOut, "a batch's outcomes were taken twice or too early")
            state.handedOut = true
            return [Outcome](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { buffer.baseAddress!.moveInitialize(from: results, count: count) }
                initialized = count
            }
        }
    }
}
