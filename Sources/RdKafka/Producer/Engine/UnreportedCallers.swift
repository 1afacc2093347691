/// The callers suspended on records librdkafka has accepted: each awaited send's continuation
/// and each ``KafkaProducer/send(contentsOf:)`` collector. Normally every one is resumed by a
/// delivery report; if librdkafka never reports some records (the closing sequence gives up
/// waiting after purging), shutdown takes what is left here and fails it, so that every awaited
/// call ends.
///
/// An awaited send is added inside the send gate before librdkafka sees the record (its report
/// may come before the produce call returns) and removed by its report, or at once if the
/// record was refused.
final class UnreportedCallers: Sendable {
    private struct State {
        /// Awaited sends' continuations, as the bits of their opaque pointers.
        var awaiting: Set<UInt> = []
        var batches: [ObjectIdentifier: BatchCollector] = [:]
    }

    private let state = LockedValue(State())

    func insert(awaiting opaque: UnsafeMutableRawPointer) {
        _ = state.withLock { $0.awaiting.insert(UInt(bitPattern: opaque)) }
    }

    func remove(awaiting opaque: UnsafeMutableRawPointer) {
        _ = state.withLock { $0.awaiting.remove(UInt(bitPattern: opaque)) }
    }

    /// Removes the awaited sends of one delivery event, under one lock.
    func remove(awaiting opaques: [UInt]) {
        guard !opaques.isEmpty else { return }
        state.withLock { state in
            for opaque in opaques { state.awaiting.remove(opaque) }
        }
    }

    func insert(_ collector: BatchCollector) {
        state.withLock { $0.batches[ObjectIdentifier(collector)] = collector }
    }

    func remove(_ collector: BatchCollector) {
        _ = state.withLock { $0.batches.removeValue(forKey: ObjectIdentifier(collector)) }
    }

    /// How many awaited sends and batches are registered.
    var count: Int {
        state.withLock { $0.awaiting.count + $0.batches.count }
    }

    /// Empties the registry: what is left once no report can come any more.
    func takeAll() -> (awaiting: [UnsafeMutableRawPointer], batches: [BatchCollector]) {
        state.withLock { state in
            defer { state = State() }
            return (state.awaiting.compactMap { UnsafeMutableRawPointer(bitPattern: $0) }, Array(state.batches.values))
        }
    }
}
