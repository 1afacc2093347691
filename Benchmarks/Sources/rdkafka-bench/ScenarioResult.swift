/// One scenario's figures, as printed and as encoded with `--json`.
struct ScenarioResult: Encodable, Sendable {
    var scenario: String
    /// The C run this one is compared with (see ``Scenario/baseline``); `nil` for the C runs.
    var baseline: String?
    var records: Int
    var valueSize: Int
    var compression: String
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
    /// Heap allocations of the whole process (every thread, librdkafka and the mock brokers
    /// included) in the timed section; `nil` when they could not be counted.
    var allocations: Int?
    /// ``allocations`` over ``records``.
    var allocationsPerRecord: Double?
    /// ``allocationsPerRecord`` minus the baseline's, when the baseline ran.
    var allocationsPerRecordBeyondBaseline: Double?
    /// Delivered records per second.
    var messagesPerSecond: Double
    /// Delivered value bytes (keys, headers and protocol overhead excluded) per second, in 10^6 bytes.
    var megabytesPerSecond: Double
    /// ``messagesPerSecond`` over the baseline's, when the baseline ran.
    var ratioToBaseline: Double?
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
    /// `soak-10m` only: how RSS moved over the run.
    var soak: SoakSummary?
}

extension [ScenarioResult] {
    /// Fills in each result's ratio and allocations beyond its C baseline, from the first run of
    /// that baseline; a result whose baseline did not run keeps `nil` there.
    mutating func compareWithBaselines() {
        for index in indices {
            guard let name = self[index].baseline, let baseline = first(where: { $0.scenario == name }) else { continue }
            if baseline.messagesPerSecond > 0 {
                self[index].ratioToBaseline = self[index].messagesPerSecond / baseline.messagesPerSecond
            }
            if let own = self[index].allocationsPerRecord, let base = baseline.allocationsPerRecord {
                self[index].allocationsPerRecordBeyondBaseline = own - base
            }
        }
    }
}
