import RdKafka

/// One scenario's settings once its own value size, codec, linger and record count are applied.
struct ScenarioParameters: Sendable {
    var records: Int
    var valueSize: Int
    var compression: String
    var lingerMilliseconds: Int
    var acks: AcksOption

    init(_ scenario: Scenario, settings: BenchSettings) {
        records = scenario.records(requested: settings.records, soak: settings.soakRecords)
        valueSize = scenario.valueSize(requested: settings.valueSize)
        compression = scenario.compression(requested: settings.compression)
        lingerMilliseconds = scenario.lingerMilliseconds(requested: settings.lingerMilliseconds)
        acks = settings.acks
    }
}

/// Runs one scenario on a fresh cluster and producer and collects its figures; only the
/// scenario's own sending is timed.
enum ScenarioRunner {
    static func measure(_ scenario: Scenario, settings: BenchSettings) async throws -> ScenarioResult {
        // A fresh cluster per scenario: the mock brokers keep the records they are sent (up to a
        // bound per partition), and a scenario must not pay for the logs, connections or
        // leftovers of the one before it.
        let cluster = try MockCluster(brokers: 3)
        try cluster.createTopic(Scenarios.topic, partitions: Scenarios.partitions)
        let parameters = ScenarioParameters(scenario, settings: settings)

        MemorySnapshot.returnFreedMemory()
        let peakIsPerScenario = MemorySnapshot.resetPeak()
        let before = MemorySnapshot.current()
        let run: Run
        var soak: SoakSummary?
        // CPU is counted over the sending only: producer creation, warm-up and shutdown are fixed
        // costs that would swamp the per-record figure of the short scenarios. The C loop creates
        // and destroys its producer inside the call, so it measures its own timed section.
        // Allocations are counted inside each timed section too.
        var cpu: Duration?
        if scenario.isC {
            run = await Scenarios.rawC(
                bootstrapServers: cluster.bootstrapServers,
                parameters: parameters,
                shape: scenario.shape
            )
            cpu = run.cpuTime
        } else {
            var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
            configuration.acks = parameters.acks.typed
            configuration.linger = .milliseconds(parameters.lingerMilliseconds)
            configuration.compression = Compression(rawValue: parameters.compression)
            if let sticky = settings.stickyPartitioningLingerMilliseconds {
                configuration.stickyPartitioningLinger = .milliseconds(sticky)
            }
            // Every fire-and-forget outcome must reach the reader: a dropped one would leave it
            // waiting for a report that never comes. The buffer grows only as far as the reader
            // falls behind, so a large bound costs nothing while it keeps up.
            configuration.deliveryReportBufferSize = max(parameters.records, 1)
            let producer = try KafkaProducer(configuration: configuration)
            // One record, built before timing, shared by every send.
            let record = ProducerRecord(
                topic: Scenarios.topic,
                value: [UInt8](repeating: 0x61, count: parameters.valueSize)
            )
            try await Scenarios.warmUp(producer: producer, record: record)
            let sampler = scenario == .soak10M ? RSSSampler(label: scenario.rawValue) : nil
            let cpuStart = processCPUTime()
            run = await send(scenario.shape, producer: producer, record: record, records: parameters.records)
            cpu = cpuStart.flatMap { start in processCPUTime().map { $0 - start } }
            // Stopped before shutting down, so that the last sample is the end of sending.
            soak = sampler.flatMap { SoakSummary(samples: $0.stop()) }
            await producer.shutdown()
        }
        let allocations = settings.countsAllocations ? AllocationCounter.counted : nil
        // Read before trimming: VmHWM must include the scenario's heap at its largest.
        let peak = MemorySnapshot.current()?.peakKilobytes
        MemorySnapshot.returnFreedMemory()
        let after = MemorySnapshot.current()

        let seconds = run.elapsed.seconds
        let records = parameters.records
        return ScenarioResult(
            scenario: scenario.rawValue,
            baseline: scenario.baseline?.rawValue,
            records: records,
            valueSize: parameters.valueSize,
            compression: parameters.compression,
            lingerMilliseconds: parameters.lingerMilliseconds,
            delivered: run.delivered,
            failed: run.failed,
            firstError: run.firstError,
            seconds: seconds,
            enqueueSeconds: run.enqueueElapsed?.seconds,
            cpuSeconds: cpu?.seconds,
            cpuMicrosecondsPerRecord: cpu.map { $0.seconds * 1e6 / Double(max(records, 1)) },
            allocations: allocations,
            allocationsPerRecord: allocations.map { Double($0) / Double(max(records, 1)) },
            messagesPerSecond: seconds > 0 ? Double(run.delivered) / seconds : 0,
            megabytesPerSecond: seconds > 0 ? Double(run.delivered * parameters.valueSize) / seconds / 1e6 : 0,
            latency: scenario.latencyMeaning.flatMap { LatencySummary(nanoseconds: run.latencies, meaning: $0) },
            rssBeforeKilobytes: before?.residentKilobytes,
            rssAfterKilobytes: after?.residentKilobytes,
            rssDeltaKilobytes: before.flatMap { before in after.map { $0.residentKilobytes - before.residentKilobytes } },
            peakRSSKilobytes: peak,
            peakRSSIsPerScenario: peakIsPerScenario,
            soak: soak
        )
    }

    /// The timed part of a Swift scenario.
    private static func send(_ shape: Scenario.Shape, producer: KafkaProducer, record: ProducerRecord, records: Int) async -> Run {
        switch shape {
        case .fireAndForget:
            return await Scenarios.fireAndForget(producer: producer, record: record, records: records)
        case .batches(let inFlight):
            return await Scenarios.batches(producer: producer, record: record, records: records, inFlight: inFlight)
        case .awaited(let concurrency):
            return await Scenarios.awaited(producer: producer, record: record, records: records, concurrency: concurrency)
        case .cStreaming, .cPolled, .cOneAtATime, .cWindowed:
            preconditionFailure("the C loops take no Swift producer")
        }
    }
}
