import ArgumentParser
import Foundation
import RdKafka

/// Measures the RdKafka producer against librdkafka's own C producer loop.
///
/// Every scenario runs in this process against a fresh in-process ``MockCluster`` of three
/// brokers with a six-partition topic, on a producer of its own, and is timed from its first
/// send to its last outcome. The streaming C loop (`raw-c`) is the baseline the "vs C" column
/// divides by; `raw-c-1`, C waiting for each record's report, is the one to read `awaited-1`
/// against.
///
/// ```
/// swift run -c release rdkafka-bench
/// swift run -c release rdkafka-bench --records 200000 --scenarios raw-c,fire-and-forget --json
/// ```
///
/// The mock brokers share the machine's cores with the producer, so absolute figures are lower
/// than against a real cluster on other machines; the ratios to the C loop are the point.
@main
struct RdKafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rdkafka-bench",
        abstract: "Producer throughput and acknowledgement latency of RdKafka against raw librdkafka, on a mock cluster."
    )

    @Option(help: "Records per scenario (awaited-100 sends a tenth of this; awaited-1 and raw-c-1 a hundredth, at most 20,000).")
    var records = 1_000_000

    @Option(help: "Bytes in each record's value.")
    var valueSize = 100

    @Option(help: "Acknowledgements: all, 1 or 0.")
    var acks = AcksOption.all

    @Option(help: "linger.ms (awaited-1 and raw-c-1 always use 0).")
    var lingerMs = 5

    @Option(help: "compression.codec: none, gzip, snappy, lz4 or zstd.")
    var compression = "none"

    @Option(
        help: ArgumentHelp(
            "Comma-separated scenarios to run, in this order (default: all).",
            discussion: "Available: \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))."
        ),
        transform: RdKafkaBench.parseScenarios
    )
    var scenarios: [Scenario] = Scenario.allCases

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard records >= 1 else { throw ValidationError("--records must be at least 1") }
        guard valueSize >= 0 else { throw ValidationError("--value-size must not be negative") }
        guard lingerMs >= 0 else { throw ValidationError("--linger-ms must not be negative") }
        guard !scenarios.isEmpty else { throw ValidationError("--scenarios names no scenario") }
    }

    func run() async throws {
        let settings = BenchSettings(
            records: records,
            valueSize: valueSize,
            acks: acks,
            lingerMilliseconds: lingerMs,
            compression: compression
        )
        var results: [ScenarioResult] = []
        for scenario in scenarios {
            progress("\(scenario.rawValue): \(Format.grouped(Double(scenario.records(requested: records)))) records…")
            let result = try await measure(scenario, settings: settings)
            var summary =
                "  \(Format.seconds(result.seconds)) s, \(Format.grouped(result.messagesPerSecond)) msg/s, \(result.failed) failed"
            if let enqueueSeconds = result.enqueueSeconds {
                summary += "; the last enqueue returned at \(Format.seconds(enqueueSeconds)) s"
            }
            progress(summary)
            results.append(result)
        }
        if let baseline = results.first(where: { $0.scenario == Scenario.rawC.rawValue }), baseline.messagesPerSecond > 0 {
            for index in results.indices {
                results[index].ratioToRawC = results[index].messagesPerSecond / baseline.messagesPerSecond
            }
        }

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

    /// Runs one scenario on a fresh cluster and producer; only the scenario's own sending is timed.
    private func measure(_ scenario: Scenario, settings: BenchSettings) async throws -> ScenarioResult {
        // A fresh cluster per scenario: the mock brokers keep every record they are sent, and a
        // scenario must not pay for the logs, connections or leftovers of the one before it.
        let cluster = try MockCluster(brokers: 3)
        try cluster.createTopic(Scenarios.topic, partitions: 6)
        let records = scenario.records(requested: settings.records)
        let linger = scenario.lingerMilliseconds(requested: settings.lingerMilliseconds)

        MemorySnapshot.returnFreedMemory()
        let peakIsPerScenario = MemorySnapshot.resetPeak()
        let before = MemorySnapshot.current()
        let run: Run
        // CPU is counted over the sending only: producer creation and shutdown are fixed costs
        // that would swamp the per-record figure of the short scenarios. (The C loop creates and
        // destroys its producer inside the call; that costs a few milliseconds.)
        var cpu: Duration?
        if scenario == .rawC || scenario == .rawCOneAtATime {
            let cpuStart = processCPUTime()
            run = await Scenarios.rawC(
                bootstrapServers: cluster.bootstrapServers,
                settings: settings,
                records: records,
                lingerMilliseconds: linger,
                oneAtATime: scenario == .rawCOneAtATime
            )
            cpu = cpuStart.flatMap { start in processCPUTime().map { $0 - start } }
        } else {
            var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
            configuration.acks = settings.acks.typed
            configuration.linger = .milliseconds(linger)
            configuration.compression = Compression(rawValue: settings.compression)
            // Every fire-and-forget outcome must reach the reader: a dropped one would leave it
            // waiting for a report that never comes.
            configuration.deliveryReportBufferSize = max(records, 1)
            let producer = try KafkaProducer(configuration: configuration)
            // One record, built before timing, shared by every send.
            let record = ProducerRecord(
                topic: Scenarios.topic,
                value: [UInt8](repeating: 0x61, count: settings.valueSize)
            )
            let cpuStart = processCPUTime()
            run = await Self.send(scenario, producer: producer, record: record, records: records)
            cpu = cpuStart.flatMap { start in processCPUTime().map { $0 - start } }
            await producer.shutdown()
        }
        // Read before trimming: VmHWM must include the scenario's heap at its largest.
        let peak = MemorySnapshot.current()?.peakKilobytes
        MemorySnapshot.returnFreedMemory()
        let after = MemorySnapshot.current()

        let seconds = run.elapsed.seconds
        return ScenarioResult(
            scenario: scenario.rawValue,
            records: records,
            lingerMilliseconds: linger,
            delivered: run.delivered,
            failed: run.failed,
            firstError: run.firstError,
            seconds: seconds,
            enqueueSeconds: run.enqueueElapsed?.seconds,
            cpuSeconds: cpu?.seconds,
            cpuMicrosecondsPerRecord: cpu.map { $0.seconds * 1e6 / Double(max(records, 1)) },
            messagesPerSecond: seconds > 0 ? Double(run.delivered) / seconds : 0,
            megabytesPerSecond: seconds > 0 ? Double(run.delivered * settings.valueSize) / seconds / 1e6 : 0,
            ratioToRawC: nil,
            latency: scenario.latencyMeaning.flatMap { LatencySummary(nanoseconds: run.latencies, meaning: $0) },
            rssBeforeKilobytes: before?.residentKilobytes,
            rssAfterKilobytes: after?.residentKilobytes,
            rssDeltaKilobytes: before.flatMap { before in after.map { $0.residentKilobytes - before.residentKilobytes } },
            peakRSSKilobytes: peak,
            peakRSSIsPerScenario: peakIsPerScenario
        )
    }

    /// The timed part of a Swift scenario.
    private static func send(_ scenario: Scenario, producer: KafkaProducer, record: ProducerRecord, records: Int) async -> Run {
        switch scenario {
        case .fireAndForget:
            return await Scenarios.fireAndForget(producer: producer, record: record, records: records)
        case .batch1000:
            return await Scenarios.batches(producer: producer, record: record, records: records, inFlight: 1)
        case .batch1000InFlight4:
            return await Scenarios.batches(producer: producer, record: record, records: records, inFlight: 4)
        case .awaited1:
            return await Scenarios.awaited(producer: producer, record: record, records: records, concurrency: 1)
        case .awaited100:
            return await Scenarios.awaited(producer: producer, record: record, records: records, concurrency: 100)
        case .awaited1000:
            return await Scenarios.awaited(producer: producer, record: record, records: records, concurrency: 1_000)
        case .rawC, .rawCOneAtATime:
            preconditionFailure("the C loops take no Swift producer")
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

    /// Progress goes to standard error so that standard output holds only the table or the JSON.
    private func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
