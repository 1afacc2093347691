import ArgumentParser
import Foundation
import RdKafka

/// Measures the RdKafka producer against librdkafka's own C producer loop.
///
/// Every scenario runs in this process against a fresh in-process ``MockCluster`` of three
/// brokers with a six-partition topic, on a producer of its own, and is timed from its first
/// send to its last outcome. Each Swift scenario is compared with a C run of the same value
/// size and codec (``Scenario/baseline``): the streaming C loop (`raw-c`, `raw-c-1k`, …), or for
/// `awaited-1` C waiting for each record's report (`raw-c-1`). Heap allocations in the timed
/// section are counted per record, for the C runs too.
///
/// ```
/// swift run -c release rdkafka-bench
/// swift run -c release rdkafka-bench --records 200000 --scenarios raw-c,fire-and-forget --json
/// swift run -c release rdkafka-bench --scenarios raw-c,soak-10m
/// ```
///
/// The mock brokers share the machine's cores with the producer, so absolute figures are lower
/// than against a real cluster on other machines; the ratios to the C loop are the point.
@main
struct RdKafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdkafka-bench",
        abstract: "Producer throughput, latency, allocations and memory of RdKafka against raw librdkafka, on a mock cluster."
    )

    @Option(
        help:
            "Records per scenario (awaited-100 sends a tenth of this; the 64 KiB scenarios a twentieth; awaited-1 and raw-c-1 a hundredth, at most 20,000)."
    )
    var records = 1_000_000

    @Option(help: "Records of soak-10m.")
    var soakRecords = 10_000_000

    @Option(help: "Bytes in each record's value (the -1k and -64k scenarios set their own).")
    var valueSize = 100

    @Option(help: "Acknowledgements: all, 1 or 0.")
    var acks = AcksOption.all

    @Option(help: "linger.ms (awaited-1 and raw-c-1 always use 0).")
    var lingerMs = 5

    @Option(
        help: ArgumentHelp(
            "sticky.partitioning.linger.ms of the Swift producer (default: the library's, 0: the partitions in turn).",
            discussion:
                "The records are keyless, so this decides how they spread over the partitions. The C runs keep librdkafka's default (twice linger.ms)."
        )
    )
    var stickyPartitioningLingerMs: Int?

    @Option(help: "compression.codec: none, gzip, snappy, lz4 or zstd (the -lz4 and -zstd scenarios set their own).")
    var compression = "none"

    @Option(
        help: ArgumentHelp(
            "Comma-separated scenarios to run, in this order (default: all but soak-10m).",
            discussion: "Available: \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))."
        ),
        transform: RdKafkaBench.parseScenarios
    )
    var scenarios: [Scenario] = Scenario.defaultSet

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard records >= 1 else { throw ValidationError("--records must be at least 1") }
        guard soakRecords >= 1 else { throw ValidationError("--soak-records must be at least 1") }
        guard valueSize >= 0 else { throw ValidationError("--value-size must not be negative") }
        guard lingerMs >= 0 else { throw ValidationError("--linger-ms must not be negative") }
        if let stickyPartitioningLingerMs, stickyPartitioningLingerMs < 0 {
            throw ValidationError("--sticky-partitioning-linger-ms must not be negative")
        }
        guard !scenarios.isEmpty else { throw ValidationError("--scenarios names no scenario") }
    }

    func run() async throws {
        // Checked before any scenario: the check itself counts, and so resets the counter.
        let countsAllocations = AllocationCounter.isInterposing
        if !countsAllocations {
            progress("warning: the allocation counter is not this process's malloc; allocations are not counted")
        }
        let settings = BenchSettings(
            records: records,
            soakRecords: soakRecords,
            valueSize: valueSize,
            acks: acks,
            lingerMilliseconds: lingerMs,
            stickyPartitioningLingerMilliseconds: stickyPartitioningLingerMs,
            compression: compression,
            countsAllocations: countsAllocations
        )
        var results: [ScenarioResult] = []
        for scenario in scenarios {
            let count = scenario.records(requested: records, soak: soakRecords)
            progress("\(scenario.rawValue): \(Format.grouped(Double(count))) records…")
            let result = try await ScenarioRunner.measure(scenario, settings: settings)
            var summary =
                "  \(Format.seconds(result.seconds)) s, \(Format.grouped(result.messagesPerSecond)) msg/s, \(result.failed) failed"
            if let enqueueSeconds = result.enqueueSeconds {
                summary += "; the last enqueue returned at \(Format.seconds(enqueueSeconds)) s"
            }
            progress(summary)
            results.append(result)
        }
        results.compareWithBaselines()

        let report = BenchReport(settings: settings, results: results)
        if json {
            print(try report.json())
        } else {
            print(report.table())
        }
        let failing = results.filter { $0.failed > 0 }
        if !failing.isEmpty {
            for result in failing {
                progress("\(result.scenario): \(result.failed) records failed; first: \(result.firstError ?? "no error text")")
            }
            throw ExitCode(1)
        }
    }

    private static func parseScenarios(_ argument: String) throws -> [Scenario] {
        try argument.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let scenario = Scenario(rawValue: trimmed) else {
                throw ValidationError(
                    "unknown scenario '\(trimmed)'; available: \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return scenario
        }
    }
}
