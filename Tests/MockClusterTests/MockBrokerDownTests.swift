import RdKafka
import Synchronization
import TestSupport
import Testing

/// Taking a mock broker down re-binds its port at once, and librdkafka aborts the process if a
/// child being started still holds the old listening socket: ChildProcess and the mock's
/// broker-down call take turns (Tests/MockBrokerDownGuard).
@Suite("Mock brokers taken down while children start", .timeLimit(.minutes(2)))
struct MockBrokerDownTests {
    @Test("Brokers go down and up 60 times while child processes start without pause, and the process lives on")
    func downWhileChildrenStart() async throws {
        let fixture = try ClusterFixture(brokers: 3, partitions: 3)
        let stop = Atomic<Bool>(false)
        let starter = Task {
            var started = 0
            while !stop.load(ordering: .relaxed) {
                let outcome = try await ChildProcess.run("/bin/true", [])
                #expect(outcome.status == 0)
                started += 1
            }
            return started
        }
        for round in 0..<60 {
            let broker = Int32(round % 3 + 1)
            try fixture.cluster.setBrokerDown(broker)
            try fixture.cluster.setBrokerUp(broker)
        }
        stop.store(true, ordering: .relaxed)
        let started = try await starter.value
        #expect(started > 0)
        let producer = try fixture.producer()
        let report = try await producer.send(fixture.record("after", partition: 1))
        #expect(report.offset == 0)
        await producer.shutdown()
    }
}
