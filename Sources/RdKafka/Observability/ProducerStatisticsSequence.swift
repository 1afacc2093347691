/// The statistics documents of one producer, as they are emitted; see ``KafkaProducer/statistics``.
///
/// Every iterator receives every document emitted while it exists, so several tasks may read
/// at once. Each iterator buffers only the newest document: one that reads slower than the
/// interval skips documents instead of falling behind. The sequence ends when the producer
/// shuts down.
public struct ProducerStatisticsSequence: AsyncSequence, Sendable {
    /// The element type: one decoded document.
    public typealias Element = ProducerStatistics

    let broadcast: StatisticsBroadcast

    /// Starts receiving documents; those emitted before this call are not replayed.
    public func makeAsyncIterator() -> Iterator {
        let (stream, id) = broadcast.subscribe()
        return Iterator(documents: stream.makeAsyncIterator(), registration: Registration(broadcast: broadcast, id: id))
    }

    /// Reads the documents emitted while it exists.
    public struct Iterator: AsyncIteratorProtocol {
        var documents: AsyncStream<ProducerStatistics>.Iterator
        let registration: Registration

        /// The next document, or `nil` once the producer has shut down.
        public mutating func next() async -> ProducerStatistics? {
            await documents.next()
        }
    }

    /// Ends the reader's registration when its iterator is released, so an abandoned loop does
    /// not keep receiving documents.
    final class Registration: Sendable {
        private let broadcast: StatisticsBroadcast
        private let id: UInt64?

        init(broadcast: StatisticsBroadcast, id: UInt64?) {
            self.broadcast = broadcast
            self.id = id
        }

        deinit {
            if let id { broadcast.unsubscribe(id) }
        }
    }
}
