/// The buffer behind ``DeliveryReports``: the thread serving reports appends each event's
/// outcomes under one lock, and a reader takes everything buffered under one lock, so the cost
/// per outcome is an array append, not a lock and a task wake-up each.
///
/// Bounded: a ring of at most `capacity` outcomes; when it is full the oldest is overwritten and
/// counted as dropped, so an unread buffer never grows and never slows the drain. The decisions
/// are its ``StateMachine``'s; this shell holds it under a lock and resumes readers
/// outside it.
@usableFromInline
final class DeliveryReportBuffer: Sendable {
    @usableFromInline typealias Chunk = [DeliveryOutcome]
    typealias Waiter = UnsafeContinuation<Chunk?, Never>

    private let state: LockedValue<StateMachine<Waiter>>

    init(capacity: Int) {
        state = LockedValue(StateMachine(capacity: capacity))
    }

    /// How many outcomes were dropped before anyone read them.
    var droppedCount: Int {
        state.withLock { $0.dropped }
    }

    /// Adds a delivery event's outcomes; hands them all to a waiting reader if there is one.
    /// Returns how many older outcomes this append overwrote.
    func append(_ outcomes: Chunk) -> Int {
        guard !outcomes.isEmpty else { return 0 }
        return run(state.withLock { $0.append(outcomes) })
    }

    /// Takes back what an abandoned iterator held unread, so it is read later or counted.
    func giveBack(_ unread: ArraySlice<DeliveryOutcome>) {
        _ = run(state.withLock { $0.giveBack(unread) })
    }

    /// Ends the sequence: readers get what is buffered, then `nil`.
    func finish() {
        for waiter in state.withLock({ $0.finish() }) {
            waiter.resume(returning: nil)
        }
    }

    /// Everything buffered, oldest first; waits while the buffer is empty. `nil` once finished
    /// and empty, or when the reading task is cancelled.
    @usableFromInline
    func next() async -> Chunk? {
        if let chunk = state.withLock({ $0.takeBuffered() }) { return chunk }
        let id = state.withLock { $0.reserveReader() }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: Waiter) in
                switch state.withLock({ $0.registerReader(id, waiter: continuation) }) {
                case .wait: break
                case .resume(let chunk): continuation.resume(returning: chunk)
                }
            }
        } onCancel: {
            state.withLock { $0.cancelReader(id) }?.resume(returning: nil)
        }
    }

    private func run(_ delivery: StateMachine<Waiter>.Delivery) -> Int {
        switch delivery {
        case .resume(let waiter, let chunk):
            waiter.resume(returning: chunk)
            return 0
        case .buffered(let dropped):
            return dropped
        }
    }
}
