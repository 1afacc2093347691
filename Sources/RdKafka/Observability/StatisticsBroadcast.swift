import Synchronization

/// Hands each decoded statistics document to every current reader of
/// ``KafkaProducer/statistics``. Each reader has a buffer of one, newest wins: a slow reader
/// skips documents rather than holding memory or slowing the producer.
final class StatisticsBroadcast: Sendable {
    private struct State {
        var readers: [UInt64: AsyncStream<ProducerStatistics>.Continuation] = [:]
        var nextID: UInt64 = 0
        var finished = false
    }

    private let state = LockedValue(State())

    /// Whether anyone reads; documents are not decoded for nobody.
    var hasReaders: Bool {
        state.withLock { !$0.readers.isEmpty }
    }

    /// A new reader's stream, already finished if the producer has shut down, and its id for
    /// ``unsubscribe(_:)``.
    func subscribe() -> (stream: AsyncStream<ProducerStatistics>, id: UInt64?) {
        let (stream, continuation) = AsyncStream.makeStream(of: ProducerStatistics.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> UInt64? in
            guard !state.finished else { return nil }
            defer { state.nextID += 1 }
            state.readers[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return (stream, nil)
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.readers.removeValue(forKey: id) }
        }
        return (stream, id)
    }

    /// Ends one reader's stream.
    func unsubscribe(_ id: UInt64) {
        state.withLock { $0.readers.removeValue(forKey: id) }?.finish()
    }

    func publish(_ statistics: ProducerStatistics) {
        for reader in state.withLock({ Array($0.readers.values) }) {
            reader.yield(statistics)
        }
    }

    /// Ends every reader's sequence, now and for readers that come later.
    func finish() {
        let readers = state.withLock { state -> [AsyncStream<ProducerStatistics>.Continuation] in
            state.finished = true
            defer { state.readers.removeAll() }
            return Array(state.readers.values)
        }
        for reader in readers { reader.finish() }
    }
}
