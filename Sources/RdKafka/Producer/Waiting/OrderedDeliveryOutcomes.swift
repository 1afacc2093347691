/// The outcomes of ``KafkaProducer/send(contentsOf:maxInFlight:)`` over an async sequence, in
/// the order of the records. Iterate it once.
///
/// The reader and the task that pulls the records wait here, each for the other.
public final class OrderedDeliveryOutcomes: AsyncSequence, Sendable {
    /// One record's outcome: where it was written, or why it was not.
    public typealias Element = Result<DeliveryReport, KafkaError>

    /// What the reader's `next()` ends with.
    enum ReaderResult {
        case outcome(Result<DeliveryReport, KafkaError>)
        /// Every outcome was read and the records ended, or the reader was cancelled.
        case end
        /// The record sequence threw after every earlier outcome was read.
        case failure(any Error)
    }

    /// The decisions are the nested state machine's, made under its lock; the continuations are
    /// resumed outside it.
    typealias Machine = StateMachine<UnsafeContinuation<ReaderResult, Never>, UnsafeContinuation<Bool, Never>>
    typealias State = LockedValue<Machine>

    private let state: State
    private let pump: Task<Void, Never>?

    init(state: State, pump: Task<Void, Never>?) {
        self.state = state
        self.pump = pump
    }

    deinit {
        stop()
    }

    /// Stops pulling records and ends the reader.
    fileprivate func stop() {
        pump?.cancel()
        let (reader, waitingPump) = state.withLock { $0.cancel() }
        reader?.resume(returning: .end)
        waitingPump?.resume(returning: false)
    }

    /// Creates the iterator; the sequence is meant to be iterated once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(outcomes: self)
    }

    /// Reads the outcomes in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let outcomes: OrderedDeliveryOutcomes

        /// The next record's outcome, once it and every earlier one are known; `nil` after the
        /// last record or once the reading task is cancelled.
        /// - Throws: The error the record sequence threw, after the outcomes before it.
        public mutating func next() async throws -> Element? {
            let state = outcomes.state
            let result = await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: UnsafeContinuation<ReaderResult, Never>) in
                    guard let (result, pump) = state.withLock({ $0.readerWantsNext(continuation) }) else { return }
                    continuation.resume(returning: result)
                    pump?.resume(returning: true)
                }
            } onCancel: { [outcomes] in
                outcomes.stop()
            }
            switch result {
            case .outcome(let outcome): return outcome
            case .end: return nil
            case .failure(let error): throw error
            }
        }
    }
}
