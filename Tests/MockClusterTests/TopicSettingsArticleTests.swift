import RdKafka
import Testing

// The "Settings per topic" article's code, verbatim, so that it keeps compiling and doing what it says.

func ordersAndClicksConfiguration(brokers: [String]) -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: brokers)
    configuration.acks = .all  // every topic, orders included
    configuration.deliveryTimeout = .seconds(120)
    var clicks = TopicConfiguration()
    clicks.acks = .leader
    clicks.deliveryTimeout = .seconds(5)  // a click older than this is worthless
    clicks.compression = .lz4
    configuration.topics["clicks"] = clicks
    return configuration
}

@Suite("Settings per topic article", .timeLimit(.minutes(1)))
struct TopicSettingsArticleTests {
    @Test("ordersAndClicksConfiguration sends to both topics; with every broker down only clicks give up early")
    func ordersAndClicks() async throws {
        let fixture = try ClusterFixture(topic: "orders", partitions: 1)
        try fixture.cluster.createTopic("clicks", partitions: 1)
        let producer = try KafkaProducer(
            configuration: ordersAndClicksConfiguration(brokers: [fixture.cluster.bootstrapServers]), logger: quietLogger)
        #expect(try await producer.send(ProducerRecord(topic: "orders", value: "o")).offset == 0)
        #expect(try await producer.send(ProducerRecord(topic: "clicks", value: "c")).offset == 0)
        for broker in 1...3 { try fixture.cluster.setBrokerDown(Int32(broker)) }
        // An order enqueued before the click: if the clicks' 5 s timeout applied to it too, it
        // would fail first.
        try await producer.enqueue(ProducerRecord(topic: "orders", value: "o"), correlationID: 1)
        let start = ContinuousClock.now
        await #expect(throws: KafkaError.self) { _ = try await producer.send(ProducerRecord(topic: "clicks", value: "c")) }
        #expect(ContinuousClock.now - start < .seconds(30), "the click gave up at its own timeout, not the 120 s default")
        #expect(producer.outstandingRecords == 1, "the order, under the 120 s default, is still waiting")
        await producer.shutdown(flushTimeout: .milliseconds(100))
    }
}
