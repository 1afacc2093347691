import ArgumentParser
import RdKafka

/// One way of producing records, measured on its own producer and its own mock cluster.
///
/// Every Swift scenario names a C ``baseline`` that sends the same value size with the same
/// codec in the same shape, so that its ratio and its allocations beyond C compare like with like.
enum Scenario: String, CaseIterable, Sendable {
    case rawC = "raw-c"
    case rawCPolled = "raw-c-polled"
    case fireAndForget = "fire-and-forget"
    case batch1000 = "batch-1000"
    case batch1000InFlight4 = "batch-1000x4"
    case batch1000InFlight16 = "batch-1000x16"
    case rawCOneAtATime = "raw-c-1"
    case awaited1 = "awaited-1"
    case awaited100 = "awaited-100"
    case awaited1000 = "awaited-1000"
    case rawCWindow1000 = "raw-c-w1000"
    case rawCWindow1000NoLinger = "raw-c-w1000-linger0"
    case awaited1000NoLinger = "awaited-1000-linger0"
    case rawC1K = "raw-c-1k"
    case fireAndForget1K = "fire-and-forget-1k"
    case rawC64K = "raw-c-64k"
    case fireAndForget64K = "fire-and-forget-64k"
    case rawCLZ4 = "raw-c-lz4"
    case fireAndForgetLZ4 = "fire-and-forget-lz4"
    case rawCZstd = "raw-c-zstd"
    case fireAndForgetZstd = "fire-and-forget-zstd"
    case soak10M = "soak-10m"

    /// How the timed section sends its records.
    enum Shape: Equatable {
        /// librdkafka's streaming producer loop, in C.
        case cStreaming
        /// The streaming C loop with its reports served on a second thread.
        case cPolled
        /// C producing one record and polling until its report, repeatedly.
        case cOneAtATime
        /// The streaming C loop holding at most `window` records awaiting their reports.
        case cWindowed(window: Int)
        /// `enqueue` in a loop, reports read from `deliveryReports`.
        case fireAndForget
        /// `send(contentsOf:)` of 1,000 records, `inFlight` batches at a time.
        case batches(inFlight: Int)
        /// `concurrency` tasks each looping `send(_:)`.
        case awaited(concurrency: Int)
    }

    /// Everything except the soak, which takes minutes rather than seconds and answers another
    /// question (does memory stay flat?) than the throughput table.
    static let defaultSet: [Scenario] = allCases.filter { $0 != .soak10M }

    var shape: Shape {
        switch self {
        case .rawC, .rawC1K, .rawC64K, .rawCLZ4, .rawCZstd: return .cStreaming
        case .rawCPolled: return .cPolled
        case .rawCOneAtATime: return .cOneAtATime
        case .rawCWindow1000, .rawCWindow1000NoLinger: return .cWindowed(window: 1_000)
        case .fireAndForget, .fireAndForget1K, .fireAndForget64K, .fireAndForgetLZ4, .fireAndForgetZstd, .soak10M:
            return .fireAndForget
        case .batch1000: return .batches(inFlight: 1)
        case .batch1000InFlight4: return .batches(inFlight: 4)
        case .batch1000InFlight16: return .batches(inFlight: 16)
        case .awaited1: return .awaited(concurrency: 1)
        case .awaited100: return .awaited(concurrency: 100)
        case .awaited1000, .awaited1000NoLinger: return .awaited(concurrency: 1_000)
        }
    }

    /// Whether the C library runs this scenario rather than the Swift producer.
    var isC: Bool {
        switch shape {
        case .cStreaming, .cPolled, .cOneAtATime, .cWindowed: return true
        case .fireAndForget, .batches, .awaited: return false
        }
    }

    /// The C run this scenario's "vs C" and "beyond C" columns compare with; `nil` for the C runs.
    ///
    /// Same value size, same codec, same shape where C has one: `awaited-1` is read against
    /// `raw-c-1` (one record in flight, `linger.ms` 0), `awaited-1000-linger0` against the C loop
    /// with the same 1,000 records in flight at `linger.ms` 0, everything else against the
    /// streaming loop (so `awaited-1000` against it too, as the targets are set).
    var baseline: Scenario? {
        switch self {
        case .rawC, .rawCPolled, .rawCOneAtATime, .rawC1K, .rawC64K, .rawCLZ4, .rawCZstd, .rawCWindow1000,
            .rawCWindow1000NoLinger:
            return nil
        case .fireAndForget, .batch1000, .batch1000InFlight4, .batch1000InFlight16, .awaited100, .awaited1000, .soak10M: return .rawC
        case .awaited1000NoLinger: return .rawCWindow1000NoLinger
        case .awaited1: return .rawCOneAtATime
        case .fireAndForget1K: return .rawC1K
        case .fireAndForget64K: return .rawC64K
        case .fireAndForgetLZ4: return .rawCLZ4
        case .fireAndForgetZstd: return .rawCZstd
        }
    }

    /// How many records this scenario sends when `--records` is `requested`.
    ///
    /// Awaited sends with few callers are bound by the round trip (plus `linger.ms`), not by the
    /// client: throughput is callers / latency whatever the count. A million of them would take
    /// minutes (awaited-1) or about a minute (awaited-100) and say nothing that fewer do not.
    /// 64 KB values send a twentieth, which is still gigabytes. Each C run sends as many as the
    /// Swift scenario it is the baseline of.
    func records(requested: Int, soak: Int) -> Int {
        switch self {
        case .awaited1, .rawCOneAtATime: return max(1, min(requested / 100, 20_000))
        case .awaited100: return max(1, requested / 10)
        case .fireAndForget64K, .rawC64K: return max(1, requested / 20)
        case .soak10M: return soak
        default: return requested
        }
    }

    /// Bytes in each record's value when `--value-size` is `requested`.
    func valueSize(requested: Int) -> Int {
        switch self {
        case .fireAndForget1K, .rawC1K: return 1_024
        case .fireAndForget64K, .rawC64K: return 65_536
        default: return requested
        }
    }

    /// `compression.codec` when `--compression` is `requested`.
    func compression(requested: String) -> String {
        switch self {
        case .fireAndForgetLZ4, .rawCLZ4: return "lz4"
        case .fireAndForgetZstd, .rawCZstd: return "zstd"
        default: return requested
        }
    }

    /// The `linger.ms` this scenario runs with.
    ///
    /// A single awaited send never shares a batch with another record, so lingering would only
    /// add the linger time to every round trip: it runs with 0, as a latency-bound caller would.
    /// `awaited-1000-linger0` and its C baseline show what 1,000 awaiting callers reach when
    /// the round trip, not the linger, bounds them.
    func lingerMilliseconds(requested: Int) -> Int {
        switch self {
        case .awaited1, .rawCOneAtATime, .awaited1000NoLinger, .rawCWindow1000NoLinger: return 0
        default: return requested
        }
    }

    /// What the latency columns mean for this scenario, or `nil` when it has none.
    var latencyMeaning: String? {
        switch shape {
        case .cStreaming, .cPolled: return nil
        case .cOneAtATime: return "rd_kafka_producev to its report, one record at a time"
        case .cWindowed: return nil
        case .fireAndForget: return "enqueue call to report read, every 64th record"
        case .batches: return "one send(contentsOf:) call of 1,000 records"
        case .awaited: return "one send(_:) call, every 64th of each task's (every one with a single task)"
        }
    }
}

/// `acks` as librdkafka spells it, for the C baseline, and as the library types it.
enum AcksOption: String, ExpressibleByArgument, Sendable {
    case all
    case leader = "1"
    case none = "0"

    init?(argument: String) {
        switch argument.lowercased() {
        case "all", "-1": self = .all
        case "1", "leader": self = .leader
        case "0", "none": self = .none
        default: return nil
        }
    }

    static var allValueStrings: [String] { ["all", "1", "0"] }

    var typed: Acks {
        switch self {
        case .all: return .all
        case .leader: return .leader
        case .none: return .none
        }
    }
}

/// The settings every scenario shares.
struct BenchSettings: Sendable, Encodable {
    var records: Int
    /// Records of `soak-10m`.
    var soakRecords: Int
    var valueSize: Int
    var acks: AcksOption
    var lingerMilliseconds: Int
    /// `sticky.partitioning.linger.ms` of the Swift producer; `nil` keeps the library's default.
    var stickyPartitioningLingerMilliseconds: Int?
    var compression: String
    /// Whether allocations are counted: false when the interposer turned out not to be the
    /// process's `malloc` (see ``AllocationCounter/isInterposing``).
    var countsAllocations: Bool
}

extension AcksOption: Encodable {}
