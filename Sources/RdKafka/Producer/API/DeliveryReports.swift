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
///
/// A loop that stops early (`break`, `prefix(_:)`, `first(where:)`) loses nothing: the outcomes
/// its iterator had taken but not handed out go back to the sequence, for the next loop.
public struct DeliveryReports: AsyncSequence, Sendable {
    /// Each element is one record's outcome.
    public typealias Element = DeliveryOutcome

    let buffer: DeliveryReportBuffer

    /// Creates the iterator; make only one at a time.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(cursor: DeliveryReportCursor(buffer: buffer))
    }

    /// Iterates the outcomes. It takes everything buffered at once and hands it out locally,
    /// so reading costs one synchronisation per batch of reports, not per report.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The iterator never throws.
        public typealias Failure = Never

        @usableFromInline let cursor: DeliveryReportCursor

        init(cursor: DeliveryReportCursor) {
            self.cursor = cursor
        }

        /// The next outcome, or `nil` once the producer has shut down and all were read, or
        /// when the reading task is cancelled.
        @inlinable
        public mutating func next() async -> DeliveryOutcome? {
            await next(isolation: nil)
        }

        /// The next outcome, as ``next()``; `for await` calls this form, which runs in the
        /// caller's isolation instead of hopping off it for every element.
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async -> DeliveryOutcome? {
            // Inlined, an outcome already taken is handed out without an async call; only an
            // exhausted chunk waits for the buffer.
            if let outcome = cursor.nextTaken() { return outcome }
            guard let chunk = await cursor.buffer.next() else { return nil }
            return cursor.start(chunk)
        }
    }
}

/// The outcomes an iterator has taken from the buffer and not yet handed out, and how far it
/// got. A class so that its `deinit` runs when the last copy of the iterator goes away: a loop
/// that ended early gives what it had not handed out back to the buffer, where it is read by
/// the next loop or counted as dropped, never lost.
///
/// Touched only by the one task iterating, so exclusivity is not checked at run time.
@usableFromInline
final class DeliveryReportCursor {
    @usableFromInline let buffer: DeliveryReportBuffer
    @usableFromInline @exclusivity(unchecked) var chunk: [DeliveryOutcome] = []
    @usableFromInline @exclusivity(unchecked) var position = 0

    init(buffer: DeliveryReportBuffer) {
        self.buffer = buffer
    }

    deinit {
        if position < chunk.count { buffer.giveBack(chunk[position...]) }
    }

    /// The next outcome already taken, or `nil` when all were handed out.
    @inlinable
    func nextTaken() -> DeliveryOutcome? {
        guard position < chunk.count else { return nil }
        defer { position += 1 }
        return chunk[position]
    }

    /// Holds a fresh chunk from the buffer (never empty) and hands out its first outcome.
    @usableFromInline
    func start(_ taken: [DeliveryOutcome]) -> DeliveryOutcome? {
        chunk = taken
        position = 0
        return nextTaken()
    }
}
