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

    private struct State {
        var results: [Outcome?]
        var remaining: Int
        var continuation: CheckedContinuation<[Outcome], Never>?
    }

    private let state: LockedValue<State>
    private nonisolated(unsafe) let entries: UnsafeMutablePointer<BatchEntry>
    /// Which records librdkafka accepted: written inside the send gate as each is accepted,
    /// read by shutdown only after that gate has closed and emptied, which orders the two.
    private nonisolated(unsafe) let accepted: UnsafeMutablePointer<Bool>
    let count: Int

    init(count: Int) {
        self.count = count
        state = LockedValue(State(results: Array(repeating: nil, count: count), remaining: count, continuation: nil))
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
        entries.deinitialize(count: count)
        entries.deallocate()
        accepted.deallocate()
    }

    /// The opaque pointer for record `index`.
    func opaque(forRecordAt index: Int) -> UnsafeMutableRawPointer {
        MessageOpaque.batchEntry(entries + index).pointer
    }

    /// Notes that librdkafka accepted record `index`; called inside the send gate.
    func markAccepted(_ index: Int) {
        accepted[index] = true
    }

    /// Fails every accepted record that has no outcome yet, for a shutdown that gave up waiting
    /// for their reports; returns how many. Call it only once no report can come any more.
    func failUnreported(with error: KafkaError) -> Int {
        var failed: [(Int, Outcome)] = []
        state.withLock { state in
            for index in 0..<count where accepted[index] && state.results[index] == nil {
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
                precondition(state.results[index] == nil, "a batch record was reported twice")
                state.results[index] = result
            }
            state.remaining -= outcomes.count
            guard state.remaining == 0 else { return (false, nil) }
            defer { state.continuation = nil }
            return (true, state.continuation)
        }
        guard finished else { return }
        continuation?.resume(returning: results())
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
            if done { continuation.resume(returning: results()) }
        }
    }

    private func results() -> [Outcome] {
        state.withLock { state in state.results.map { $0! } }
    }
}
