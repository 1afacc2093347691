import Foundation
import RdKafka

/// Everything one run measured, and the conditions it ran under.
struct BenchReport: Encodable {
    var librdkafkaVersion = RdKafka.librdkafkaVersion
    var processors = ProcessInfo.processInfo.activeProcessorCount
    var settings: BenchSettings
    var results: [ScenarioResult]

    init(settings: BenchSettings, results: [ScenarioResult]) {
        self.settings = settings
        self.results = results
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        let headers = [
            "scenario", "base", "records", "value", "codec", "linger", "msg/s", "MB/s", "vs C", "CPU µs/rec", "allocs/rec", "beyond C",
            "p50 ms", "p99 ms", "p999 ms", "peak RSS", "RSS Δ", "failed",
        ]
        let rows = results.map { result -> [String] in
            [
                result.scenario,
                result.baseline ?? "-",
                Format.grouped(Double(result.records)),
                Format.bytes(result.valueSize),
                result.compression,
                "\(result.lingerMilliseconds) ms",
                Format.grouped(result.messagesPerSecond),
                String(format: "%.1f", result.megabytesPerSecond),
                result.ratioToBaseline.map(Format.ratio) ?? "-",
                result.cpuMicrosecondsPerRecord.map { String(format: "%.2f", $0) } ?? "-",
                result.allocationsPerRecord.map { String(format: "%.2f", $0) } ?? "-",
                result.allocationsPerRecordBeyondBaseline.map { String(format: "%+.2f", $0) } ?? "-",
                result.latency.map { Format.milliseconds($0.p50Milliseconds) } ?? "-",
                result.latency.map { Format.milliseconds($0.p99Milliseconds) } ?? "-",
                result.latency.map { Format.milliseconds($0.p999Milliseconds) } ?? "-",
                result.peakRSSKilobytes.map(Format.megabytes) ?? "-",
                result.rssDeltaKilobytes.map { ($0 >= 0 ? "+" : "") + Format.megabytes($0) } ?? "-",
                "\(result.failed)",
            ]
        }
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max()!
        }
        func line(_ cells: [String]) -> String {
            // Names read best left-aligned; the figures align right.
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column <= 1 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }

        var lines: [String] = []
        lines.append(
            "librdkafka \(librdkafkaVersion), \(processors) cores; acks=\(settings.acks.rawValue); unless a scenario sets its own: value \(Format.bytes(settings.valueSize)), compression=\(settings.compression), linger.ms=\(settings.lingerMilliseconds)\(stickyNote); 3 mock brokers, 6 partitions"
        )
        lines.append("")
        lines.append(line(headers))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        lines.append(contentsOf: rows.map(line))
        lines.append("")
        lines.append(contentsOf: soakLines())
        lines.append(contentsOf: notes())
        return lines.joined(separator: "\n")
    }

    /// The Swift producer's `sticky.partitioning.linger.ms`, when the run sets it.
    private var stickyNote: String {
        settings.stickyPartitioningLingerMilliseconds.map { ", sticky.partitioning.linger.ms=\($0) (Swift)" } ?? ""
    }

    private func soakLines() -> [String] {
        var lines: [String] = []
        for result in results {
            guard let soak = result.soak else { continue }
            let points = soak.points.map { point in
                "\(point.percent) % (\(Format.seconds(point.seconds)) s) \(Format.megabytes(point.residentKilobytes))"
            }
            lines.append("\(result.scenario) VmRSS: \(points.joined(separator: ", "))")
            lines.append(
                "\(result.scenario) after warm-up: largest VmRSS \(Format.megabytes(soak.firstHalfMaxKilobytes)) over 10–50 %, \(Format.megabytes(soak.secondHalfMaxKilobytes)) over 50–100 % (\(String(format: "%+.1f", soak.growthPercent)) %): "
                    + (soak.grewAfterWarmUp ? "GREW (more than 10 %)" : "no growth")
                    + "; medians \(Format.megabytes(soak.firstHalfMedianKilobytes)) and \(Format.megabytes(soak.secondHalfMedianKilobytes))"
            )
            lines.append("")
        }
        return lines
    }

    private func notes() -> [String] {
        var lines: [String] = []
        lines.append(
            "vs C, beyond C: against the C run named under base (same value size, codec and, for awaited-1, one record at a time).")
        var meanings: [String] = []
        for result in results {
            if let latency = result.latency, !meanings.contains(latency.meaning) {
                meanings.append(latency.meaning)
                let names = results.filter { $0.latency?.meaning == latency.meaning }.map(\.scenario)
                lines.append("latency of \(names.joined(separator: ", ")): \(latency.meaning)")
            }
        }
        lines.append("CPU µs/rec: CPU time of the whole process (all threads, mock brokers included), while sending, per record.")
        lines.append(
            settings.countsAllocations
                ? "allocs/rec: malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign and valloc calls of the whole process (librdkafka and mock brokers included) in the timed section, per record; beyond C: minus the base's."
                : "allocs/rec: not counted; the interposer is not this process's malloc."
        )
        let perScenario = results.allSatisfy(\.peakRSSIsPerScenario)
        lines.append(
            perScenario
                ? "peak RSS: VmHWM, reset before each scenario (/proc/self/clear_refs), so each peak is that scenario's own."
                : "peak RSS: VmHWM, process-wide and only ever rising (it could not be reset), so read it with RSS Δ."
        )
        lines.append(
            "RSS Δ: VmRSS after the producer shut down minus before it was created, both after malloc_trim; it includes the mock brokers' stored records."
        )
        return lines
    }
}
