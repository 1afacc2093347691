import Foundation
import RdKafka

/// One scenario's figures, as printed and as encoded with `--json`.
struct ScenarioResult: Encodable, Sendable {
    var scenario: String
    var records: Int
    var lingerMilliseconds: Int
    var delivered: Int
    var failed: Int
    var firstError: String?
    /// From the first send to the last outcome.
    var seconds: Double
    /// Fire-and-forget only: from the first enqueue to the return of the last.
    var enqueueSeconds: Double?
    /// CPU time of the whole process (every thread, the mock brokers included) while sending:
    /// producer creation and shutdown excluded.
    var cpuSeconds: Double?
    /// ``cpuSeconds`` per record, in microseconds.
    var cpuMicrosecondsPerRecord: Double?
    /// Delivered records per second.
    var messagesPerSecond: Double
    /// Delivered value bytes (keys, headers and protocol overhead excluded) per second, in 10^6 bytes.
    var megabytesPerSecond: Double
    /// ``messagesPerSecond`` over the raw C loop's, when `raw-c` ran.
    var ratioToRawC: Double?
    var latency: LatencySummary?
    /// VmRSS when the scenario started (cluster created, producer not yet).
    var rssBeforeKilobytes: Int?
    /// VmRSS when it ended (producer shut down, cluster still up). Both figures are taken after
    /// `malloc_trim`, so they count memory in use, not memory glibc kept after it was freed.
    var rssAfterKilobytes: Int?
    /// ``rssAfterKilobytes`` minus ``rssBeforeKilobytes``: what the scenario left resident.
    var rssDeltaKilobytes: Int?
    /// VmHWM at the end: the scenario's own peak when ``peakRSSIsPerScenario``, otherwise the
    /// process's peak so far.
    var peakRSSKilobytes: Int?
    var peakRSSIsPerScenario: Bool
}

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
            "scenario", "records", "linger", "msg/s", "MB/s", "vs C", "CPU µs/rec", "p50 ms", "p99 ms", "p999 ms", "peak RSS", "RSS Δ",
            "failed",
        ]
        let rows = results.map { result -> [String] in
            [
                result.scenario,
                Format.grouped(Double(result.records)),
                "\(result.lingerMilliseconds) ms",
                Format.grouped(result.messagesPerSecond),
                String(format: "%.1f", result.megabytesPerSecond),
                result.ratioToRawC.map(Format.ratio) ?? "-",
                result.cpuMicrosecondsPerRecord.map { String(format: "%.2f", $0) } ?? "-",
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
            // The scenario name is text and reads best left-aligned; the figures align right.
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }

        var lines: [String] = []
        lines.append(
            "librdkafka \(librdkafkaVersion), \(processors) cores; value \(settings.valueSize) B, acks=\(settings.acks.rawValue), linger.ms=\(settings.lingerMilliseconds), compression=\(settings.compression); 3 mock brokers, 6 partitions"
        )
        lines.append("")
        lines.append(line(headers))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        lines.append(contentsOf: rows.map(line))
        lines.append("")
        var meanings: [String] = []
        for result in results {
            if let latency = result.latency, !meanings.contains(latency.meaning) {
                meanings.append(latency.meaning)
                let names = results.filter { $0.latency?.meaning == latency.meaning }.map(\.scenario)
                lines.append("latency of \(names.joined(separator: ", ")): \(latency.meaning)")
            }
        }
        lines.append("CPU µs/rec: CPU time of the whole process (all threads, mock brokers included), while sending, per record.")
        let perScenario = results.allSatisfy(\.peakRSSIsPerScenario)
        lines.append(
            perScenario
                ? "peak RSS: VmHWM, reset before each scenario (/proc/self/clear_refs), so each peak is that scenario's own."
                : "peak RSS: VmHWM, process-wide and only ever rising (it could not be reset), so read it with RSS Δ."
        )
        lines.append(
            "RSS Δ: VmRSS after the producer shut down minus before it was created, both after malloc_trim; it includes the mock brokers' stored records."
        )
        return lines.joined(separator: "\n")
    }
}

/// Number formatting without locale: the same output on every machine.
enum Format {
    /// A whole number with thousands separators: 1234567.8 -> "1,234,568".
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var grouped = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 && character != "-" { grouped.append(",") }
            grouped.append(character)
        }
        return String(grouped.reversed())
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// Two decimals, three below 0.1 so that a slow scenario does not print as 0.00.
    static func ratio(_ value: Double) -> String {
        String(format: value < 0.1 ? "%.3f" : "%.2f", value)
    }

    static func milliseconds(_ value: Double) -> String {
        String(format: value < 10 ? "%.2f" : "%.1f", value)
    }

    static func megabytes(_ kilobytes: Int) -> String {
        String(format: "%.0f MB", Double(kilobytes) / 1024)
    }
}
