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

    let stream: AsyncStream<DeliveryOutcome>

    /// Creates the iterator; make only one.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator())
    }

    /// Iterates the outcomes.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<DeliveryOutcome>.AsyncIterator

        /// The next outcome, or `nil` once the producer has shut down and all were read.
        public mutating func next() async -> DeliveryOutcome? {
            await base.next()
        }

        /// The next outcome, on the caller's actor.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> DeliveryOutcome? {
            await base.next(isolation: actor)
        }
    }
}
