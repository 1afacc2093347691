/// One record's place in a ``BatchCollector``: what its delivery report needs to find the
/// collector and the slot for its result.
struct BatchEntry {
    let collector: Unmanaged<BatchCollector>
    let index: Int
}

/// Gathers the outcomes of one ``KafkaProducer/send(contentsOf:)`` call and resumes its caller
/// once, when the last one is in.
///
/// The entry table is allocated once per batch; each accepted record holds one retain on the
/// collector, released when its report has been recorded, so the collector outlives every
/// pointer librdkafka holds into it.
final class BatchCollector: Sendable {
    private struct State {
        var results: [Result<DeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>?
    }

    private let state: LockedValue<State>
    private nonisolated(unsafe) let entries: UnsafeMutablePointer<BatchEntry>
    let count: Int

    init(count: Int) {
        self.count = count
        state = LockedValue(State(results: Array(repeating: nil, count: count), remaining: count, continuation: nil))
        entries = .allocate(capacity: max(count, 1))
        let unmanaged = Unmanaged.passUnretained(self)
        for index in 0..<count {
            (entries + index).initialize(to: BatchEntry(collector: unmanaged, index: index))
        }
    }

    deinit {
        entries.deinitialize(count: count)
        entries.deallocate()
    }

    /// The opaque pointer for record `index`; the collector is retained until its report.
    func opaque(forRecordAt index: Int) -> UnsafeMutableRawPointer {
        _ = Unmanaged.passUnretained(self).retain()
        return MessageOpaque.batchEntry(entries + index).pointer
    }

    /// Gives back the retain taken by ``opaque(forRecordAt:)`` when librdkafka refused the record.
    func releaseRefusedOpaque() {
        Unmanaged.passUnretained(self).release()
    }

    /// Records the outcome of record `index`; resumes the caller if it was the last.
    func complete(_ index: Int, with result: Result<DeliveryReport, KafkaError>) {
        let continuation = state.withLock { state -> CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>? in
            precondition(state.results[index] == nil, "a batch record was reported twice")
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: results())
    }

    /// Waits until every record has an outcome, and returns them in the records' order.
    func outcomes() async -> [Result<DeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.remaining == 0 { return true }
                state.continuation = continuation
                return false
            }
            if done { continuation.resume(returning: results()) }
        }
    }

    private func results() -> [Result<DeliveryReport, KafkaError>] {
        state.withLock { state in state.results.map { $0! } }
    }
}

extension BatchEntry {
    /// Records a report for this entry and gives back the collector's retain.
    func complete(with result: Result<DeliveryReport, KafkaError>) {
        let collector = self.collector.takeUnretainedValue()
        collector.complete(index, with: result)
        self.collector.release()
    }
}
