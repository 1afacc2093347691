/// The outcomes of records enqueued with ``KafkaProducer/enqueue(_:correlationID:)`` and
/// ``KafkaProducer/tryEnqueue(_:correlationID:)``, in the order librdkafka reports them.
///
/// Read it from one task. It ends when the producer has shut down.
///
/// Nobody has to read it: it holds at most
/// ``ProducerConfiguration/deliveryReportBufferSize`` outcomes; past that the oldest are
/// dropped and counted in ``KafkaProducer/droppedDeliveryReports``. The producer never waits
/// for a reader, so an unread sequence neither grows without bound nor slows sending.
/// Awaited sends (``KafkaProducer/send(_:)``, ``KafkaProducer/send(contentsOf:)``) never appear here.
public struct DeliveryReports: AsyncSequence, Sendable {
    /// Each element is one record's outcome.
    public typealias Element = DeliveryOutcome

    let buffer: DeliveryReportBuffer

    /// Creates the iterator; make only one.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(buffer: buffer)
    }

    /// Iterates the outcomes. It takes everything buffered at once and hands it out locally,
    /// so reading costs one synchronisation per batch of reports, not per report.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The iterator never throws.
        public typealias Failure = Never

        @usableFromInline let buffer: DeliveryReportBuffer
        @usableFromInline var chunk: [DeliveryOutcome] = []
        @usableFromInline var position = 0

        init(buffer: DeliveryReportBuffer) {
            self.buffer = buffer
        }

        /// The next outcome, or `nil` once the producer has shut down and all were read, or
        /// when the reading task is cancelled.
        @inlinable
        public mutating func next() async -> DeliveryOutcome? {
            // Inlined, an outcome already taken is handed out without an async call; only an
            // exhausted chunk waits for the buffer.
            if position == chunk.count {
                guard let next = await buffer.next() else { return nil }
                chunk = next
                position = 0
            }
            defer { position += 1 }
            return chunk[position]
        }

        /// The next outcome, as ``next()``; `for await` calls this form, which runs in the
        /// caller's isolation instead of hopping off it for every element.
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async -> DeliveryOutcome? {
            if position == chunk.count {
                guard let next = await buffer.next() else { return nil }
                chunk = next
                position = 0
            }
            defer { position += 1 }
            return chunk[position]
        }
    }
}
