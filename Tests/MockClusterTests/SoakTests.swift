import Foundation
import Testing

/// How long scripts/soak asked to soak; `nil` (the suite off) in ordinary test runs.
private let soakMinutes = ProcessInfo.processInfo.environment["RDKAFKA_SOAK_MINUTES"].flatMap(Double.init)

/// The fault-injection run again and again, each round on a fresh mock cluster, for
/// `RDKAFKA_SOAK_MINUTES` minutes or until `RDKAFKA_SOAK_RECORDS` (10,000,000) records were
/// sent. Not part of `swift test`: `scripts/soak` sets the variable. Prints the tallies and the
/// process's resident memory after every round, so growth across rounds shows.
@Suite("Soak", .enabled(if: soakMinutes != nil, "set RDKAFKA_SOAK_MINUTES (scripts/soak)"))
struct SoakTests {
    static let totalRecords = ProcessInfo.processInfo.environment["RDKAFKA_SOAK_RECORDS"].flatMap(Int.init) ?? 10_000_000
    /// Small enough that one round's read-back fits in memory easily, large enough to cross
    /// every fault of the plan many times (one every 8,000 records).
    static let roundRecords = 250_000

    @Test("Idempotent, transactional sends through repeated faults: nothing lost, duplicated or reordered; memory flat")
    func soak() async throws {
        let minutes = try #require(soakMinutes)
        let start = ContinuousClock.now
        let deadline = start + .seconds(minutes * 60)
        var total = FaultInjectionTests.Tally()
        var round = 0
        print(
            "soak: up to \(Self.totalRecords) records or \(minutes) min, rounds of \(Self.roundRecords); RSS at start \(Self.residentMiB()) MiB"
        )
        while ContinuousClock.now < deadline && total.sent < Self.totalRecords {
            let records = min(Self.roundRecords, Self.totalRecords - total.sent)
            // Each round starts at another step of the fault plan, so every fault lands at every offset.
            // Transactional, so that the mock drops resent copies (FaultInjectionTests.Guard).
            let tally = try await FaultInjectionTests().run(.transactional, firstFault: round % 5, records: records)
            round += 1
            total.sent += tally.sent
            total.acknowledged += tally.acknowledged
            total.failed += tally.failed
            total.consumed += tally.consumed
            total.lost += tally.lost
            total.duplicated += tally.duplicated
            total.outOfOrder += tally.outOfOrder
            total.firstCopiesOutOfOrder += tally.firstCopiesOutOfOrder
            total.failures.merge(tally.failures, uniquingKeysWith: +)
            let elapsed = (ContinuousClock.now - start).components.seconds
            print("soak: t=\(elapsed)s round \(round): \(total); RSS \(Self.residentMiB()) MiB")
        }
        let seconds = Double((ContinuousClock.now - start).components.seconds)
        print("soak: done after \(Int(seconds)) s, \(round) rounds, \(Int(Double(total.sent) / max(seconds, 1))) records/s: \(total)")
        #expect(total.acknowledged == total.sent, "\(total)")
        #expect(total.consumed == total.sent, "\(total)")
        #expect(total.lost == 0 && total.duplicated == 0 && total.outOfOrder == 0, "\(total)")
    }

    /// This process's resident set size (`VmRSS` in /proc/self/status), in MiB.
    static func residentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return -1 }
        return kilobytes / 1024
    }
}
