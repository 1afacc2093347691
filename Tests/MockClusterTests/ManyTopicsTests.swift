import Foundation
import RdKafka
import Testing

/// What a producer that writes to many distinct topics pays: each topic name keeps a topic
/// handle, and librdkafka its own topic and partition state, until the producer shuts down (see
/// "Many distinct topics" in the Performance Tips article). Sends one record to each of 2,000 new
/// topics on the mock cluster and prints the resident memory and the time it took.
///
/// 2,000 rather than 100,000: the time to reach new topics grows faster than their number
/// (librdkafka asks for the metadata of every topic it knows), and on librdkafka 2.0.2's mock
/// cluster 10,000 took 36 s, so 100,000 would take far longer than a test may.
@Suite("Many distinct topics", .timeLimit(.minutes(1)))
struct ManyTopicsTests {
    static let topicCount = 2_000

    @Test("One record to each of 2,000 new topics: every one delivered, each report naming its own topic")
    func manyTopics() async throws {
        let cluster = try MockCluster(brokers: 1)
        // Not created up front (each creation costs the mock a round of its own): the mock creates
        // a topic, with its default partition count, on the first request that names it.
        var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
        configuration.linger = .milliseconds(5)
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        try await producer.waitUntilConnected(timeout: .seconds(10))
        let before = Self.residentKiB()
        let start = ContinuousClock.now

        for index in 0..<Self.topicCount {
            try await producer.enqueue(ProducerRecord(topic: Self.topic(index), value: "v"), correlationID: UInt64(index))
        }
        try await producer.flush(timeout: .seconds(50))
        let elapsed = ContinuousClock.now - start
        let after = Self.residentKiB()
        await producer.shutdown()
        withExtendedLifetime(cluster) {}

        var misnamed = 0
        var delivered = 0
        for await outcome in producer.deliveryReports {
            guard case .success(let report) = outcome.result else { continue }
            delivered += 1
            if report.topic != Self.topic(Int(outcome.correlationID)) { misnamed += 1 }
        }
        #expect(delivered == Self.topicCount)
        #expect(misnamed == 0)
        // Resident memory of the whole test process: other suites running beside this one add
        // to it, so it is printed for reading, not asserted.
        print(
            "many topics: \(Self.topicCount) new topics took \(after - before) KiB resident "
                + "(\((after - before) / Self.topicCount) KiB per topic) and \(elapsed) from first enqueue to flushed")
    }

    static func topic(_ index: Int) -> String { "tenant-\(index)" }

    /// This process's resident set size (`VmRSS` in /proc/self/status), in KiB.
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return -1 }
        return kilobytes
    }
}
