import RdKafka
import TestSupport
import Testing

/// A broker taken down listens on its port again when brought up, and librdkafka aborts the
/// process if that port is taken meanwhile: the test process keeps the mock's ports where the
/// kernel never hands a port out on its own.
@Suite("Mock broker ports")
struct MockBrokerPortTests {
    @Test("Mock brokers listen below the ephemeral port range, and a downed broker comes back on its port")
    func portsBelowTheEphemeralRange() async throws {
        let ephemeralStart = try #require(MockBrokerPortPlacement.ephemeralRangeStart)
        let placedBefore = MockBrokerPortPlacement.placedListeners
        let fixture = try ClusterFixture(brokers: 3, partitions: 3)
        let ports = fixture.cluster.bootstrapServers.split(separator: ",").compactMap { $0.split(separator: ":").last.flatMap { Int($0) } }
        #expect(ports.count == 3)
        for port in ports { #expect(port < ephemeralStart, "port \(port) is in the ephemeral range, from \(ephemeralStart)") }
        #expect(MockBrokerPortPlacement.placedListeners >= placedBefore + 3)

        let producer = try fixture.producer()
        _ = try await producer.send(fixture.record("before", partition: 0))
        for broker in Int32(1)...3 {
            try fixture.cluster.setBrokerDown(broker)
            try fixture.cluster.setBrokerUp(broker)
        }
        let report = try await producer.send(fixture.record("after", partition: 0))
        #expect(report.offset == 1)
        await producer.shutdown()
    }
}
