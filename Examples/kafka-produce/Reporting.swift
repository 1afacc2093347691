import Foundation
import RdKafka

/// Writes one line to standard error, which carries everything but the records themselves; a
/// line that cannot be written is lost, never the run (see ``StandardStreams``).
func printError(_ line: String) {
    StandardStreams.writeError("kafka-produce: \(line)\n")
}

/// Counts every delivery outcome until the producer shuts down and the sequence ends.
///
/// - Returns: A sample of the delivered records' acknowledgement latencies (see
///   ``LatencySampler``), when the sequence ended if it carried any outcome (a bound on when
///   the last outcome came, for runs whose flush did not finish), and how many records each
///   partition received.
func readReports(
    _ reports: DeliveryReports,
    into ledger: Ledger
) async -> (latencies: LatencyReservoir, lastReport: ContinuousClock.Instant?, partitions: PartitionCounts) {
    var latencies = LatencyReservoir(capacity: 100_000)
    var sawReports = false
    var partitions = PartitionCounts()
    for await outcome in reports {
        sawReports = true
        partitions.add(outcome)
        if let latency = ledger.reported(outcome) {
            latencies.add(latency)
        }
    }
    // Read once at the end rather than per outcome.
    return (latencies, sawReports ? ContinuousClock.now : nil, partitions)
}

/// Prints the counts and the delivery rate of the last second, every second, until cancelled.
func showProgress(of ledger: Ledger) async {
    var previous = (counts: ledger.counts, instant: ContinuousClock.now)
    while true {
        do {
            try await Task.sleep(for: .seconds(1))
        } catch {
            return  // cancelled: sending is over and the summary follows
        }
        let current = (counts: ledger.counts, instant: ContinuousClock.now)
        let rate =
            Double(current.counts.delivered - previous.counts.delivered)
            / (current.instant - previous.instant).inSeconds
        printError(
            "sent \(current.counts.sent), delivered \(current.counts.delivered), "
                + "failed \(current.counts.failed), \(Int(rate.rounded())) msg/s"
        )
        previous = current
    }
}

/// What the run achieved, as printed at its end.
struct Summary {
    var counts: Ledger.Counts
    /// From the first send to the last delivery outcome.
    var elapsed: Duration
    var latencies: LatencyReservoir
    var droppedReports: Int
    var errors: (distinct: [Ledger.ErrorCount], others: Int)
    var partitions = PartitionCounts()

    func report() {
        let seconds = elapsed.inSeconds
        let rate = seconds > 0 ? Double(counts.delivered) / seconds : 0
        printError(
            "sent \(counts.sent), delivered \(counts.delivered), failed \(counts.failed) in "
                + String(format: "%.3f s: %.0f msg/s", seconds, rate)
        )
        if !latencies.latencies.isEmpty {
            let sorted = latencies.latencies.sorted()
            printError(
                String(
                    format: "latency from enqueue to delivery report: p50 %.2f ms, p99 %.2f ms (%d sampled)",
                    Self.percentile(0.50, of: sorted).inMilliseconds,
                    Self.percentile(0.99, of: sorted).inMilliseconds,
                    latencies.count
                )
            )
        }
        if let line = partitions.summaryLine {
            printError(line)
        }
        if droppedReports > 0 {
            printError("\(droppedReports) delivery reports were dropped: those records' outcomes are unknown")
        }
        for error in errors.distinct {
            printError("\(error.count) × \(error.description)")
        }
        if errors.others > 0 {
            printError("\(errors.others) more failures of other kinds")
        }
    }

    /// The nearest-rank percentile: the smallest value at least `fraction` of all are at or below.
    private static func percentile(_ fraction: Double, of sorted: [Duration]) -> Duration {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[max(rank, 1) - 1]
    }
}

extension Duration {
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var inMilliseconds: Double { inSeconds * 1000 }
}
