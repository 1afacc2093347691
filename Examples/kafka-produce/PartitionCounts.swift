import RdKafka

/// How many records were delivered to each partition, counted from the delivery reports: shows
/// how evenly the partitioner spread them (see `sticky.partitioning.linger.ms` for keyless ones).
struct PartitionCounts {
    /// Delivered records by partition number; grown as partitions appear.
    private var delivered: [Int] = []

    mutating func add(_ outcome: DeliveryOutcome) {
        guard case .success(let report) = outcome.result, report.partition >= 0 else { return }
        let partition = Int(report.partition)
        if partition >= delivered.count { delivered += Array(repeating: 0, count: partition + 1 - delivered.count) }
        delivered[partition] += 1
    }

    /// One line for the summary: each partition's count, and the spread between the fullest
    /// and the emptiest; `nil` when nothing was delivered.
    var summaryLine: String? {
        guard let most = delivered.max(), let least = delivered.min(), most > 0 else { return nil }
        let counts = delivered.enumerated().map { "[\($0.offset)] \($0.element)" }.joined(separator: ", ")
        return "delivered per partition: \(counts) (fullest − emptiest: \(most - least))"
    }
}
