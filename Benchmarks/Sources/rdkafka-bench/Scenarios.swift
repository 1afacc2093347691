import CRawBaseline
import RdKafka

/// What one scenario's timed section produced.
struct Run: Sendable {
    var delivered = 0
    var failed = 0
    var firstError: String?
    var elapsed: Duration = .zero
    /// C runs only: the process's CPU time over the timed section, measured by the C loop itself.
    var cpuTime: Duration?
    /// Per-sample latencies in nanoseconds; empty where the scenario has none.
    var latencies: [Int64] = []
    /// Fire-and-forget only: when the last enqueue returned. Set beside ``elapsed`` it shows
    /// whether sending or reading the reports set the pace.
    var enqueueElapsed: Duration?

    mutating func record(_ result: Result<DeliveryReport, KafkaError>) {
        switch result {
        case .success: delivered += 1
        case .failure(let error): fail(error)
        }
    }

    mutating func fail(_ error: any Error) {
        failed += 1
        if firstError == nil { firstError = String(describing: error) }
    }

    /// Adds another task's counts and samples to these.
    mutating func absorb(_ other: Run) {
        delivered += other.delivered
        failed += other.failed
        if firstError == nil { firstError = other.firstError }
        latencies.append(contentsOf: other.latencies)
    }
}

/// The timed sections. Each is handed a producer (or, for the C loop, the brokers) that nobody
/// else uses, and times from just before its first send to the moment its last outcome is known.
enum Scenarios {
    static let topic = "bench"
    static let partitions: Int32 = 6
    static let batchSize = 1_000
    /// Every this many records, fire-and-forget notes the enqueue instant for a latency sample.
    /// Sampling keeps the clock reads (about 25 ns each) out of the per-record cost being
    /// compared with the C loop, which takes none.
    static let fireAndForgetSampleStride = 64

    /// Every this many sends, each awaiting task times one for a latency sample, as
    /// fire-and-forget does: timing and keeping every send put two clock reads and 8 bytes of
    /// memory per record (peak RSS grew with the record count) into what is compared with C.
    /// A single task times every send, as raw-c-1 does: it is bound by the round trip, which two
    /// clock reads do not move, and a sixty-fourth of its few thousand sends is too few for a p99.
    static func awaitedSampleStride(concurrency: Int) -> Int {
        concurrency == 1 ? 1 : fireAndForgetSampleStride
    }

    /// librdkafka's own producer loop, in C, on a dedicated thread: streaming, or one record at
    /// a time waiting for each report (the C form of ``awaited(producer:record:records:concurrency:)``
    /// with one task). The C loop marks its own timed section, so that the allocations counted
    /// are those of sending, not of creating and destroying its producer.
    static func rawC(bootstrapServers: String, parameters: ScenarioParameters, shape: Scenario.Shape) async -> Run {
        let records = parameters.records
        let outcome = await onDedicatedThread { () -> (status: Int32, result: raw_baseline_result, latencies: [Int64]) in
            var result = raw_baseline_result()
            var latencies: [Int64] = []
            let marks = raw_baseline_marks(started: { AllocationCounter.begin() }, finished: { AllocationCounter.end() })
            let status: Int32
            switch shape {
            case .cOneAtATime:
                latencies = [Int64](repeating: -1, count: records)
                status = latencies.withUnsafeMutableBufferPointer { buffer in
                    raw_baseline_run_one_at_a_time(
                        bootstrapServers, topic, partitions, parameters.acks.rawValue, Int32(parameters.lingerMilliseconds),
                        parameters.compression, UInt64(records), parameters.valueSize, buffer.baseAddress, marks, &result
                    )
                }
            case .cPolled:
                status = raw_baseline_run_polled(
                    bootstrapServers, topic, partitions, parameters.acks.rawValue, Int32(parameters.lingerMilliseconds),
                    parameters.compression, UInt64(records), parameters.valueSize, marks, &result
                )
            case .cWindowed(let window):
                status = raw_baseline_run_windowed(
                    bootstrapServers, topic, partitions, parameters.acks.rawValue, Int32(parameters.lingerMilliseconds),
                    parameters.compression, UInt64(records), parameters.valueSize, UInt64(window), marks, &result
                )
            default:
                status = raw_baseline_run(
                    bootstrapServers, topic, partitions, parameters.acks.rawValue, Int32(parameters.lingerMilliseconds),
                    parameters.compression, UInt64(records), parameters.valueSize, marks, &result
                )
            }
            return (status, result, latencies)
        }
        var run = Run()
        let message = withUnsafeBytes(of: outcome.result.first_error) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        if outcome.status != 0 {
            run.failed = records
            run.firstError = "the C producer could not start: \(message)"
            return run
        }
        run.delivered = Int(outcome.result.delivered)
        run.failed = Int(outcome.result.failed)
        run.firstError = message.isEmpty ? nil : message
        run.elapsed = .nanoseconds(Int64(outcome.result.elapsed_seconds * 1e9))
        run.cpuTime = .nanoseconds(Int64(outcome.result.cpu_seconds * 1e9))
        run.latencies = outcome.latencies.filter { $0 >= 0 }
        return run
    }

    /// Sends one record to each partition and waits for every acknowledgement, untimed, so that
    /// the timed section starts connected to every leader with the topic's metadata known, as
    /// the C loop's warm-up does. Without it, now and then librdkafka 2.0.2 delivers nothing for
    /// the first second of a run, which would land in that run's figures.
    static func warmUp(producer: KafkaProducer, record: ProducerRecord) async throws {
        let records = (0..<partitions).map { partition in
            var pinned = record
            pinned.partition = partition
            return pinned
        }
        for result in await producer.send(contentsOf: records) {
            _ = try result.get()
        }
    }

    /// One task enqueues every record without waiting for acknowledgements; a child task reads
    /// ``KafkaProducer/deliveryReports`` until every outcome is in.
    static func fireAndForget(producer: KafkaProducer, record: ProducerRecord, records: Int) async -> Run {
        let clock = ContinuousClock()
        let stamps = EnqueueStamps(records: records, stride: fireAndForgetSampleStride)
        let reports = producer.deliveryReports
        AllocationCounter.begin()
        let start = clock.now
        // Started before the first enqueue so that reports are read from the first one on.
        async let drained = readReports(reports, expecting: records, stamps: stamps, clock: clock)
        var refused: (any Error)?
        for index in 0..<records {
            if index % fireAndForgetSampleStride == 0 { stamps.note(index, at: clock.now) }
            do {
                // Returns at once unless the local queue is full; then it waits for room.
                try await producer.enqueue(record, correlationID: UInt64(index))
            } catch {
                refused = error
                break
            }
        }
        let enqueued = clock.now
        if refused != nil {
            // The reader expects an outcome per record, and refused records will never have one:
            // shutting down ends the report sequence, and with it the reader's loop.
            await producer.shutdown()
        }
        var (run, lastReport) = await drained
        AllocationCounter.end()
        run.elapsed = start.duration(to: lastReport ?? clock.now)
        run.enqueueElapsed = start.duration(to: enqueued)
        if let refused {
            run.fail(refused)
            run.failed = records - run.delivered
        }
        return run
    }

    private static func readReports(
        _ reports: DeliveryReports,
        expecting records: Int,
        stamps: EnqueueStamps,
        clock: ContinuousClock
    ) async -> (Run, lastReport: ContinuousClock.Instant?) {
        var run = Run()
        // Written once through, then emptied with its capacity kept: its pages are resident from
        // the start rather than faulted in sample by sample, so that a soak's RSS does not creep
        // by the size of the benchmark's own samples (12.5 MB per 100 million records).
        run.latencies = [Int64](repeating: 0, count: records / fireAndForgetSampleStride + 1)
        run.latencies.removeAll(keepingCapacity: true)
        for await outcome in reports {
            run.record(outcome.result)
            let index = Int(outcome.correlationID)
            if index % fireAndForgetSampleStride == 0 {
                run.latencies.append(stamps.instant(of: index).duration(to: clock.now).nanoseconds)
            }
            if run.delivered + run.failed == records {
                return (run, lastReport: clock.now)
            }
        }
        // The sequence ended early: the producer was shut down after a refused enqueue.
        return (run, lastReport: nil)
    }

    /// `send(contentsOf:)` with batches of ``batchSize`` records, `inFlight` batches at a time.
    static func batches(producer: KafkaProducer, record: ProducerRecord, records: Int, inFlight: Int) async -> Run {
        let clock = ContinuousClock()
        // Built once: every batch sends a prefix of the same array, so the loop measures sending,
        // not building records.
        let batch = Array(repeating: record, count: batchSize)
        let batchCount = (records + batchSize - 1) / batchSize
        AllocationCounter.begin()
        let start = clock.now
        var run = await withTaskGroup(of: Run.self) { group in
            for lane in 0..<min(inFlight, batchCount) {
                group.addTask {
                    var lanes = Run()
                    // Lane k sends batches k, k + inFlight, k + 2 * inFlight, ...
                    for index in stride(from: lane, to: batchCount, by: inFlight) {
                        let size = min(batchSize, records - index * batchSize)
                        let sent = clock.now
                        let results = await producer.send(contentsOf: batch.prefix(size))
                        lanes.latencies.append(sent.duration(to: clock.now).nanoseconds)
                        for result in results { lanes.record(result) }
                    }
                    return lanes
                }
            }
            var total = Run()
            for await lane in group { total.absorb(lane) }
            return total
        }
        AllocationCounter.end()
        run.elapsed = start.duration(to: clock.now)
        return run
    }

    /// `concurrency` tasks, each awaiting one `send(_:)` after another, between them sending
    /// `records` records.
    static func awaited(producer: KafkaProducer, record: ProducerRecord, records: Int, concurrency: Int) async -> Run {
        let clock = ContinuousClock()
        let stride = awaitedSampleStride(concurrency: concurrency)
        AllocationCounter.begin()
        let start = clock.now
        var run = await withTaskGroup(of: Run.self) { group in
            for task in 0..<concurrency {
                // An even split, decided up front, so that the tasks share no counter.
                let share = records / concurrency + (task < records % concurrency ? 1 : 0)
                guard share > 0 else { continue }
                group.addTask {
                    var sender = Run()
                    sender.latencies.reserveCapacity(share / stride + 1)
                    for index in 0..<share {
                        let sent = index % stride == 0 ? clock.now : nil
                        do {
                            _ = try await producer.send(record)
                            sender.delivered += 1
                            if let sent { sender.latencies.append(sent.duration(to: clock.now).nanoseconds) }
                        } catch {
                            sender.fail(error)
                        }
                    }
                    return sender
                }
            }
            var total = Run()
            for await sender in group { total.absorb(sender) }
            return total
        }
        AllocationCounter.end()
        run.elapsed = start.duration(to: clock.now)
        return run
    }
}

/// The enqueue instants of sampled fire-and-forget records, written by the enqueuing task and
/// read by the report reader.
///
/// `@unchecked Sendable` because two tasks share the buffer without a lock of its own. That is
/// safe: each slot is written once, before the enqueue call for its record, and read only
/// after that record's report has come back through librdkafka's queue and the report
/// sequence, both of which take locks that order the write before the read.
final class EnqueueStamps: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<ContinuousClock.Instant>
    private let stride: Int

    init(records: Int, stride: Int) {
        self.stride = stride
        slots = .allocate(capacity: records / stride + 1)
        slots.initialize(repeating: ContinuousClock.now)
    }

    deinit {
        slots.deallocate()
    }

    func note(_ index: Int, at instant: ContinuousClock.Instant) {
        slots[index / stride] = instant
    }

    func instant(of index: Int) -> ContinuousClock.Instant {
        slots[index / stride]
    }
}
