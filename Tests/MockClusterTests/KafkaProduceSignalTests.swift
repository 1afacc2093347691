import Foundation
import RdKafka
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// kafka-produce stopped by a signal mid-stream loses nothing: it stops reading, waits for the
/// outcome of every record it sent, prints the summary, and exits with 128 + the signal; a
/// second signal ends it at once. The records it reports delivered are read back from a mock
/// cluster of this process, which outlives the child.
@Suite("kafka-produce: a signal stops it without losing a record", .timeLimit(.minutes(1)))
struct KafkaProduceSignalTests {
    struct Counts: Equatable {
        var sent: Int
        var delivered: Int
        var failed: Int
    }

    /// The counts of the summary line (`sent N, delivered N, failed N in …`), not of a progress line.
    static func summary(in errors: String) -> Counts? {
        summaryLines(in: errors, ending: " in ").last
    }

    /// The counts of every progress line (`sent N, delivered N, failed N, R msg/s`).
    static func progress(in errors: String) -> [Counts] {
        summaryLines(in: errors, ending: ", ")
    }

    private static func summaryLines(in errors: String, ending: String) -> [Counts] {
        errors.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: "kafka-produce: sent ") else { return nil }
            let fields = line[start.upperBound...].split(separator: ",", maxSplits: 2)
            guard fields.count == 3, let sent = Int(fields[0]),
                let delivered = fields[1].split(separator: " ").last.flatMap({ Int($0) })
            else { return nil }
            let rest = fields[2].drop { $0 == " " }
            guard rest.hasPrefix("failed ") else { return nil }
            let afterFailed = rest.dropFirst("failed ".count)
            let digits = afterFailed.prefix { $0.isNumber }
            guard let failed = Int(digits), afterFailed.dropFirst(digits.count).hasPrefix(ending) else { return nil }
            return Counts(sent: sent, delivered: delivered, failed: failed)
        }
    }

    /// Checks the summary adds up and every record it reports delivered is on the cluster.
    static func expectNothingLost(_ errors: String, fixture: ClusterFixture) async throws -> Counts {
        let counts = try #require(summary(in: errors), "no summary: \(errors)")
        #expect(counts.sent > 0, "\(errors)")
        #expect(counts.sent == counts.delivered + counts.failed, "\(errors)")
        let records = try await TestConsumer.consume(
            topic: fixture.topic, partitions: fixture.partitions, bootstrapServers: fixture.cluster.bootstrapServers,
            expecting: counts.delivered, readToEnd: true)
        withExtendedLifetime(fixture.cluster) {}
        #expect(records.count == counts.delivered)
        return counts
    }

    @Test("SIGINT during --count 50000000: the summary adds up, every record reported delivered is read back, exit 130")
    func interruptDuringGeneratedRecords() async throws {
        let fixture = try ClusterFixture(topic: "interrupted", partitions: 3)
        let child = try RunningChild(
            KafkaProduceCommandTests.executable(),
            ["-b", fixture.cluster.bootstrapServers, "-t", "interrupted", "--count", "50000000", "--value-size", "1"])
        // Held until a progress line shows records sent: the run is mid-stream then.
        let progressed = await child.waitForErrors { Self.progress(in: $0).contains { $0.sent > 0 } }
        #expect(progressed != nil, "\(child.errors)")
        child.signal(SIGINT)
        let status = await child.exitStatus()
        #expect(status == 128 + SIGINT, "\(child.errors)")
        #expect(child.errors.contains("SIGINT: stopped reading"), "\(child.errors)")
        let counts = try await Self.expectNothingLost(child.errors, fixture: fixture)
        #expect(counts.sent < 50_000_000)
    }

    @Test("SIGTERM during a stream on standard input: the lines read are all accounted for and read back, exit 143")
    func terminateDuringInputStream() async throws {
        let fixture = try ClusterFixture(topic: "terminated", partitions: 3)
        let child = try RunningChild(
            KafkaProduceCommandTests.executable(), ["-b", fixture.cluster.bootstrapServers, "-t", "terminated"])
        let lines = 1_000
        child.write((0..<lines).map { "line-\($0)\n" }.joined())
        // Standard input stays open: the child is waiting for more when the signal comes.
        let progressed = await child.waitForErrors { Self.progress(in: $0).contains { $0.delivered == lines } }
        #expect(progressed != nil, "\(child.errors)")
        child.signal(SIGTERM)
        let status = await child.exitStatus()
        #expect(status == 128 + SIGTERM, "\(child.errors)")
        let counts = try await Self.expectNothingLost(child.errors, fixture: fixture)
        #expect(counts == Counts(sent: lines, delivered: lines, failed: 0))
    }

    @Test("SIGHUP stops it the same way, with exit 129")
    func hangUpDuringInputStream() async throws {
        let fixture = try ClusterFixture(topic: "hung-up", partitions: 1)
        let child = try RunningChild(KafkaProduceCommandTests.executable(), ["-b", fixture.cluster.bootstrapServers, "-t", "hung-up"])
        child.write("a\nb\nc\n")
        let progressed = await child.waitForErrors { Self.progress(in: $0).contains { $0.delivered == 3 } }
        #expect(progressed != nil, "\(child.errors)")
        child.signal(SIGHUP)
        #expect(await child.exitStatus() == 128 + SIGHUP, "\(child.errors)")
        let counts = try await Self.expectNothingLost(child.errors, fixture: fixture)
        #expect(counts == Counts(sent: 3, delivered: 3, failed: 0))
    }

    @Test("A second signal while records wait for a downed broker ends the process at once, without the summary")
    func secondSignalExitsAtOnce() async throws {
        let fixture = try ClusterFixture(brokers: 1, topic: "held", partitions: 1)
        let child = try RunningChild(KafkaProduceCommandTests.executable(), ["-b", fixture.cluster.bootstrapServers, "-t", "held"])
        #expect(await child.waitForErrors { $0.contains("connected to") } != nil, "\(child.errors)")
        // The records cannot be acknowledged until the broker is back, which it is not while the
        // child runs: the flush after the first signal would wait for its whole timeout.
        try fixture.cluster.setBrokerDown(1)
        child.write("a\nb\n")
        let progressed = await child.waitForErrors { Self.progress(in: $0).contains { $0.sent == 2 } }
        #expect(progressed != nil, "\(child.errors)")
        child.signal(SIGINT)
        #expect(await child.waitForErrors { $0.contains("SIGINT: stopped reading") } != nil, "\(child.errors)")
        child.signal(SIGINT)
        #expect(await child.exitStatus() == 128 + SIGINT, "\(child.errors)")
        #expect(child.errors.contains("second signal (SIGINT): exiting at once"), "\(child.errors)")
        #expect(Self.summary(in: child.errors) == nil, "\(child.errors)")
        try fixture.cluster.setBrokerUp(1)
    }
}
