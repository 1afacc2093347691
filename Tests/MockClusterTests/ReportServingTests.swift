import RdKafka
import Testing

/// Reports are served by whichever thread gets there: a sending thread after its produce call,
/// or the drain thread when nobody sending does. Whoever serves, every report must reach its
/// sender. A report that lands just as a serving sender finishes is the drain thread's to
/// serve; if the drain passed its turn it would sleep with the report queued and the awaiting
/// task would never resume, so these tests cross that moment many times and require every call
/// to end (a lost report shows as the suite's time limit).
@Suite("Serving reports on sending threads", .timeLimit(.minutes(2)))
struct ReportServingTests {
    @Test("Awaited sends one at a time, beside other senders, all end delivered")
    func awaitedSendsBesideOtherSenders() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 2)
        // linger 0: each awaited record is its own request, so its report lands in an empty
        // queue while the senders beside it are serving theirs.
        let producer = try fixture.producer { $0.linger = .zero }
        let awaitedPerTask = 4_000
        let delivered = await withTaskGroup(of: Int.self) { group in
            for task in 0..<3 {
                group.addTask {
                    var delivered = 0
                    for index in 0..<awaitedPerTask {
                        let record = fixture.record("awaited \(task)-\(index)", partition: Int32(task % 2))
                        if (try? await producer.send(record)) != nil { delivered += 1 }
                    }
                    return delivered
                }
            }
            group.addTask {
                // Fire-and-forget records keep a sending thread serving reports throughout.
                for index in 0..<20_000 {
                    try? await producer.enqueue(fixture.record("queued \(index)"), correlationID: UInt64(index))
                }
                return 0
            }
            return await group.reduce(0, +)
        }
        #expect(delivered == 3 * awaitedPerTask)
        try await producer.flush(timeout: .seconds(30))
        #expect(producer.outstandingRecords == 0)
        await producer.shutdown()
    }

    @Test("An idle producer's report is served by the drain thread")
    func idleProducerReport() async throws {
        let fixture = try ClusterFixture(brokers: 1, partitions: 1)
        let producer = try fixture.producer { $0.linger = .zero }
        // One send at a time: after its produce call nobody sends, so only the drain thread
        // can serve the report the task awaits.
        for index in 0..<3_000 {
            let report = try await producer.send(fixture.record("idle \(index)"))
            #expect(report.offset == Int64(index))
        }
        await producer.shutdown()
    }
}
