import RdKafka
import Synchronization

/// The run's bookkeeping, shared by the sending loop, the delivery report reader and the
/// progress display. Each side takes the lock once per record.
final class Ledger: Sendable {
    struct Counts {
        /// Records the producer accepted.
        var sent = 0
        var delivered = 0
        /// Failed deliveries, records the producer refused and input lines that made no record.
        var failed = 0
    }

    /// A failure description and how often it occurred.
    struct ErrorCount {
        var description: String
        var count: Int
    }

    private struct State {
        var counts = Counts()
        /// When each record was handed to the producer, indexed by its correlation id.
        var sendInstants: [ContinuousClock.Instant]
        var firstSend: ContinuousClock.Instant?
        var reportsSeen = 0
        var errors: [ErrorCount] = []
        var otherErrors = 0
        var reportWaiter: (count: Int, continuation: CheckedContinuation<Void, Never>)?

        mutating func noteError(_ description: String) {
            if let index = errors.firstIndex(where: { $0.description == description }) {
                errors[index].count += 1
            } else if errors.count < Ledger.distinctErrorsKept {
                errors.append(ErrorCount(description: description, count: 1))
            } else {
                otherErrors += 1
            }
        }
    }

    /// Enough to show what went wrong without flooding the terminal when every record fails alike.
    static let distinctErrorsKept = 5

    private let state: Mutex<State>

    /// - Parameter expectedRecords: The record count when it is known in advance; the send
    ///   instants are then allocated once, keeping reallocation out of the sending loop.
    init(expectedRecords: Int?) {
        let placeholder = ContinuousClock.now
        state = Mutex(State(sendInstants: Array(repeating: placeholder, count: expectedRecords ?? 0)))
    }

    var counts: Counts { state.withLock { $0.counts } }
    var firstSend: ContinuousClock.Instant? { state.withLock { $0.firstSend } }
    var errors: (distinct: [ErrorCount], others: Int) { state.withLock { ($0.errors, $0.otherErrors) } }

    /// Notes record `id` as sent. Called before enqueueing, because its report can arrive
    /// before `enqueue` returns. Ids run from 0 without gaps.
    func sending(_ id: Int, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            if id < state.sendInstants.count {
                state.sendInstants[id] = instant
            } else {
                state.sendInstants.append(instant)
            }
            state.firstSend = state.firstSend ?? instant
            state.counts.sent += 1
        }
    }

    /// Takes back ``sending(_:at:)`` for a record the producer refused.
    func refused(because error: any Error) {
        state.withLock { state in
            state.counts.sent -= 1
            state.counts.failed += 1
            state.noteError(Self.describe(error))
        }
    }

    /// Counts an input that could not become a record.
    func rejectedInput(because description: String) {
        state.withLock { state in
            state.counts.failed += 1
            state.noteError(description)
        }
    }

    /// Counts one delivery outcome.
    /// - Returns: The acknowledgement latency when the record was delivered.
    func reported(_ outcome: DeliveryOutcome, at instant: ContinuousClock.Instant) -> Duration? {
        let (latency, waiter) = state.withLock { state -> (Duration?, CheckedContinuation<Void, Never>?) in
            state.reportsSeen += 1
            var latency: Duration?
            switch outcome.result {
            case .success:
                state.counts.delivered += 1
                latency = instant - state.sendInstants[Int(outcome.correlationID)]
            case .failure(let error):
                state.counts.failed += 1
                state.noteError(Self.describe(error))
            }
            guard let waiter = state.reportWaiter, state.reportsSeen >= waiter.count else { return (latency, nil) }
            state.reportWaiter = nil
            return (latency, waiter.continuation)
        }
        waiter?.resume()
        return latency
    }

    /// Returns once `count` delivery outcomes have been counted.
    func waitForReports(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let alreadySeen = state.withLock { state in
                guard state.reportsSeen < count else { return true }
                state.reportWaiter = (count, continuation)
                return false
            }
            if alreadySeen { continuation.resume() }
        }
    }

    /// The error without its correlation id, so that records failing for the same reason are
    /// counted together.
    private static func describe(_ error: any Error) -> String {
        guard var error = error as? KafkaError else { return "\(error)" }
        error.correlationID = nil
        return error.description
    }
}
