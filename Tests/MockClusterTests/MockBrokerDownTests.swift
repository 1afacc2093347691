import RdKafka
import Synchronization
import TestSupport
import Testing

/// Taking a mock broker down re-binds its port at once, and librdkafka aborts the process if a
/// child being started still holds the old listening socket: ChildProcess and the mock's
/// broker-down call take turns (Tests/MockBrokerDownGuard).
@Suite("Mock brokers taken down while children start", .timeLimit(.minutes(2)))
struct MockBrokerDownTests {
    @Test("Brokers go down and up while child processes start without pause, and the process lives on")
    func downWhileChildrenStart() async throws {
        let fixture = try ClusterFixture(brokers: 3, partitions: 3)
        let stop = Atomic<Bool>(false)
        let started = Atomic<Int>(0)
        let starterEnded = Atomic<Bool>(false)
        let starter = Task {
            defer { starterEnded.store(true, ordering: .relaxed) }
            while !stop.load(ordering: .relaxed) {
                let outcome = try await ChildProcess.run("/bin/true", [])
                #expect(outcome.status == 0)
                started.add(1, ordering: .relaxed)
            }
        }
        // Brokers go down and up until 60 rounds are done and at least 20 children have been
        // started meanwhile, however the two share the machine.
        var rounds = 0
        while (rounds < 60 || started.load(ordering: .relaxed) < 20) && !starterEnded.load(ordering: .relaxed) {
            let broker = Int32(rounds % 3 + 1)
            try fixture.cluster.setBrokerDown(broker)
            try fixture.cluster.setBrokerUp(broker)
            rounds += 1
        }
        stop.store(true, ordering: .relaxed)
        try await starter.value
        #expect(started.load(ordering: .relaxed) >= 20)
        let producer = try fixture.producer()
        let report = try await producer.send(fixture.record("after", partition: 1))
        #expect(report.offset == 0)
        await producer.shutdown()
    }
}
