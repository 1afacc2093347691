import ArgumentParser
import RdKafka

/// One way of producing records, measured on its own producer and its own mock cluster.
enum Scenario: String, CaseIterable, Sendable {
    case rawC = "raw-c"
    case fireAndForget = "fire-and-forget"
    case batch1000 = "batch-1000"
    case batch1000InFlight4 = "batch-1000x4"
    case rawCOneAtATime = "raw-c-1"
    case awaited1 = "awaited-1"
    case awaited100 = "awaited-100"
    case awaited1000 = "awaited-1000"

    /// How many records this scenario sends when `--records` is `requested`.
    ///
    /// Awaited sends with few callers are bound by the round trip (plus `linger.ms`), not by the
    /// client: throughput is callers / latency whatever the count. A million of them would take
    /// minutes (awaited-1) or about a minute (awaited-100) and say nothing that fewer do not.
    /// raw-c-1 sends as many as awaited-1, so that the two compare like for like.
    func records(requested: Int) -> Int {
        switch self {
        case .awaited1, .rawCOneAtATime: return max(1, min(requested / 100, 20_000))
        case .awaited100: return max(1, requested / 10)
        default: return requested
        }
    }

    /// The `linger.ms` this scenario runs with.
    ///
    /// A single awaited send never shares a batch with another record, so lingering would only
    /// add the linger time to every round trip: it runs with 0, as a latency-bound caller would.
    func lingerMilliseconds(requested: Int) -> Int {
        switch self {
        case .awaited1, .rawCOneAtATime: return 0
        default: return requested
        }
    }

    /// What the latency columns mean for this scenario, or `nil` when it has none.
    var latencyMeaning: String? {
        switch self {
        case .rawC: return nil
        case .rawCOneAtATime: return "rd_kafka_producev to its report, one record at a time"
        case .fireAndForget: return "enqueue call to report read, every 64th record"
        case .batch1000, .batch1000InFlight4: return "one send(contentsOf:) call of 1,000 records"
        case .awaited1, .awaited100, .awaited1000: return "one send(_:) call"
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
    var valueSize: Int
    var acks: AcksOption
    var lingerMilliseconds: Int
    var compression: String
}

extension AcksOption: Encodable {}
