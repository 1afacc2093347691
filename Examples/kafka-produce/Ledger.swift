import RdKafka
import Synchronization

/// The run's bookkeeping, shared by the sending loop, the delivery report reader and the
/// progress display.
///
/// No record takes a lock: the counts are atomics, each written by one side (relaxed, since
/// nothing else is published through them: the summary reads them after both sides are done),
/// and latencies are sampled by ``LatencySampler``. Only failures take the lock, to count their
/// descriptions.
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

    private struct Errors {
        var distinct: [ErrorCount] = []
        var others = 0

        mutating func note(_ description: String) {
            if let index = distinct.firstIndex(where: { $0.description == description }) {
                distinct[index].count += 1
            } else if distinct.count < Ledger.distinctErrorsKept {
                distinct.append(ErrorCount(description: description, count: 1))
            } else {
                others += 1
            }
        }
    }

    /// Enough to show what went wrong without flooding the terminal when every record fails alike.
    static let distinctErrorsKept = 5

    /// Written by the sender only.
    private let sent = Atomic<Int>(0)
    /// Written by the report reader only.
    private let delivered = Atomic<Int>(0)
    /// Refusals and rejected input (the sender) and failed deliveries (the reader).
    private let failed = Atomic<Int>(0)
    private let errorCounts = Mutex(Errors())
    private let firstSendInstant = Mutex<ContinuousClock.Instant?>(nil)
    let latencies = LatencySampler()

    var counts: Counts {
        Counts(
            sent: sent.load(ordering: .relaxed),
            delivered: delivered.load(ordering: .relaxed),
            failed: failed.load(ordering: .relaxed)
        )
    }

    /// When the first record was handed to the producer.
    var firstSend: ContinuousClock.Instant? { firstSendInstant.withLock { $0 } }

    var errors: (distinct: [ErrorCount], others: Int) { errorCounts.withLock { ($0.distinct, $0.others) } }

    /// Notes record `id` as sent. Called before enqueueing, because its report can arrive
    /// before `enqueue` returns. Ids run from 0 without gaps.
    func sending(_ id: Int) {
        if id == 0 { firstSendInstant.withLock { $0 = .now } }
        latencies.sending(id)
        sent.add(1, ordering: .relaxed)
    }

    /// Takes back ``sending(_:)`` for record `id`, which the producer refused.
    func refused(_ id: Int, because error: any Error) {
        latencies.refused(id)
        sent.subtract(1, ordering: .relaxed)
        failed.add(1, ordering: .relaxed)
        errorCounts.withLock { $0.note(Self.describe(error)) }
    }

    /// Counts an input that could not become a record.
    func rejectedInput(because description: String) {
        failed.add(1, ordering: .relaxed)
        errorCounts.withLock { $0.note(description) }
    }

    /// Counts one delivery outcome.
    ///
    /// - Returns: The acknowledgement latency when the record was delivered and sampled.
    func reported(_ outcome: DeliveryOutcome) -> Duration? {
        let latency = latencies.reported(Int(truncatingIfNeeded: outcome.correlationID))
        switch outcome.result {
        case .success:
            delivered.add(1, ordering: .relaxed)
            return latency
        case .failure(let error):
            failed.add(1, ordering: .relaxed)
            errorCounts.withLock { $0.note(Self.describe(error)) }
            return nil
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
