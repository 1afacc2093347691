import Logging
import RdKafka
import Testing

/// What the mock cluster can show of offsets in a transaction: librdkafka's mock (2.0.2, and 2.16
/// alike) answers TxnOffsetCommit without storing the offsets, so no test here can read them
/// back after a commit or see them discarded by an abort. These tests show the calls' contract:
/// accepted inside a transaction, refused outside one, errors on AddOffsetsToTxn (key 25) and
/// TxnOffsetCommit (key 28) typed, and both requests made (librdkafka 2.0.2's protocol log does
/// not print the group or offsets a request carries, so that part is not shown here).
@Suite("sendOffsets inside a transaction", .timeLimit(.minutes(2)))
struct SendOffsetsTests {
    static let offsets = [
        ConsumerOffset(topic: "input", partition: 0, offset: 1_001), ConsumerOffset(topic: "input", partition: 1, offset: 7),
    ]

    func transactionalProducer(_ fixture: ClusterFixture, id: String, logger: Logger = quietLogger, debug: String? = nil) async throws
        -> KafkaProducer
    {
        try fixture.cluster.createTopic("input", partitions: 2)
        let producer = try fixture.producer(
            {
                $0.transactionalID = id
                if let debug { $0.additionalProperties["debug"] = debug }
            }, logger: logger)
        try await producer.initTransactions(timeout: .seconds(30))
        return producer
    }

    @Test("Inside a transaction the offsets are accepted, both requests are made, and the transaction commits")
    func insideTransaction() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let box = CapturingLogHandlerBox()
        var logger = Logger(label: "test") { _ in box.handler() }
        logger.logLevel = .debug
        let producer = try await transactionalProducer(fixture, id: "offsets-inside", logger: logger, debug: "eos,protocol")
        try await producer.withTransaction { producer in
            _ = try await producer.send(fixture.record("derived"))
            try await producer.sendOffsets(Self.offsets, groupID: "totaller")
        }
        await producer.shutdown()
        let lines = box.entries.withLock { $0 }.map(\.message)
        // librdkafka 2.0.2's protocol log names the requests but not the group or the offsets in
        // them: this shows both requests were made and answered without error.
        #expect(lines.contains { $0.contains("AddOffsetsToTxn response") && $0.contains("NO_ERROR") })
        #expect(lines.contains { $0.contains("Sent TxnOffsetCommitRequest") })
        #expect(lines.contains { $0.contains("send_offsets_to_transaction") && $0.contains("Success") })
    }

    @Test("Outside a transaction the call is refused with a state error; without a transactional id, notConfigured")
    func outsideTransaction() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try await transactionalProducer(fixture, id: "offsets-outside")
        do {
            try await producer.sendOffsets(Self.offsets, groupID: "totaller")
            Issue.record("offsets were sent outside a transaction")
        } catch let error as KafkaError {
            #expect(error.code == .state, "\(error)")
        }
        await producer.shutdown()
        let plain = try fixture.producer()
        do {
            try await plain.sendOffsets(Self.offsets, groupID: "totaller")
            Issue.record("offsets were sent by a producer without transactions")
        } catch let error as KafkaError {
            #expect(error.code == .notConfigured)
            #expect(error.configurationKey == "transactional.id")
        }
        await plain.shutdown()
    }

    @Test("A retriable error on AddOffsetsToTxn is retried by librdkafka: the call succeeds")
    func retriableRetried() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let box = CapturingLogHandlerBox()
        var logger = Logger(label: "test") { _ in box.handler() }
        logger.logLevel = .debug
        let producer = try await transactionalProducer(fixture, id: "offsets-retriable", logger: logger, debug: "eos,protocol")
        try producer.beginTransaction()
        // COORDINATOR_LOAD_IN_PROGRESS (14), twice.
        fixture.cluster.pushRequestErrors([KafkaError.Code(rawValue: 14), KafkaError.Code(rawValue: 14)], for: .init(apiKey: 25))
        try await producer.sendOffsets(Self.offsets, groupID: "totaller", timeout: .seconds(20))
        try await producer.commitTransaction()
        await producer.shutdown()
        // The injected errors reached AddOffsetsToTxn requests, which librdkafka then retried.
        let responses = box.entries.withLock { $0 }.map(\.message).filter { $0.contains("AddOffsetsToTxn response") }
        #expect(responses.filter { $0.contains("COORDINATOR_LOAD_IN_PROGRESS") }.count == 2, "\(responses)")
        #expect(responses.contains { $0.contains("NO_ERROR") }, "\(responses)")
    }

    @Test("An abortable error on TxnOffsetCommit says the transaction must be aborted; after the abort the next one commits")
    func abortRequired() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try await transactionalProducer(fixture, id: "offsets-abortable")
        try producer.beginTransaction()
        // GROUP_AUTHORIZATION_FAILED (30).
        fixture.cluster.pushRequestErrors([KafkaError.Code(rawValue: 30)], for: .init(apiKey: 28))
        do {
            try await producer.sendOffsets(Self.offsets, groupID: "totaller", timeout: .seconds(20))
            Issue.record("the injected error was not reported")
        } catch let error as KafkaError {
            #expect(error.transactionRequiresAbort, "\(error)")
            #expect(!error.isFatal)
        }
        try await producer.abortTransaction()
        try await producer.withTransaction { producer in
            try await producer.sendOffsets(Self.offsets, groupID: "totaller")
        }
        await producer.shutdown()
    }

    @Test("Bad arguments are typed errors naming the culprit, before anything is sent")
    func badArguments() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try await transactionalProducer(fixture, id: "offsets-bad")
        try producer.beginTransaction()
        for (offsets, group) in [
            (Self.offsets, ""), ([ConsumerOffset(topic: "input", partition: 0, offset: -1)], "g"),
            ([ConsumerOffset(topic: "input", partition: -2, offset: 1)], "g"),
            ([ConsumerOffset(topic: "no spaces", partition: 0, offset: 1)], "g"),
        ] {
            do {
                try await producer.sendOffsets(offsets, groupID: group)
                Issue.record("\(offsets) for '\(group)' accepted")
            } catch let error as KafkaError {
                #expect(error.code == .invalidArgument)
            }
        }
        try await producer.abortTransaction()
        await producer.shutdown()
    }
}
