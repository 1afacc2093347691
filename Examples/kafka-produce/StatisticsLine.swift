import Foundation
import RdKafka

/// Prints one compact line per statistics document until the task is cancelled or the producer
/// shuts down: what is queued, what was sent since the previous line, retries, errors, and the
/// brokers' worst round-trip time.
func showStatistics(of producer: KafkaProducer) async {
    var previousSent: Int?
    for await statistics in producer.statistics {
        // Bootstrap entries (node id -1) stand for addresses, not brokers; leave them out.
        let brokers = statistics.brokers.filter { $0.nodeID >= 0 }
        let up = brokers.filter { $0.state == "UP" }.count
        let worstP99 = statistics.brokers.compactMap { $0.roundTripTime?.p99 }.max()
        let sentSince = previousSent.map { " (+\(statistics.recordsSent - $0))" } ?? ""
        previousSent = statistics.recordsSent
        printError(
            "stats: queued \(statistics.queuedRecords) records/\(statistics.queuedBytes) B, "
                + "sent \(statistics.recordsSent)\(sentSince), retries \(statistics.retries), errors \(statistics.errors), "
                + "brokers up \(up)/\(brokers.count), rtt p99 \(worstP99.map(milliseconds) ?? "-")"
        )
    }
}

private func milliseconds(_ duration: Duration) -> String {
    String(format: "%.1f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
}
