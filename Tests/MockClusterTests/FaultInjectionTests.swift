import Foundation
import RdKafka
import TestSupport
import Testing

/// Records sent while brokers go down and up, produce requests fail with retriable
/// errors and round trips slow down; then everything is read back and tallied.
///
/// Faults are triggered at points in the send loop (every `faultEvery` records), so the test needs
/// no timers: each fault lands while thousands of records are queued or in flight.
@Suite("Fault injection on the mock cluster", .timeLimit(.minutes(3)))
struct FaultInjectionTests {
    struct Tally: CustomStringConvertible {
        var sent = 0
        var acknowledged = 0
        var failed = 0
        var consumed = 0
        var lost = 0
        var duplicated = 0
        var outOfOrder = 0
        /// Out of order counting only each record's first copy in its partition: a copy appended
        /// again after later records is not counted.
        var firstCopiesOutOfOrder = 0
        var failures: [String: Int] = [:]

        var description: String {
            "sent \(sent), acknowledged \(acknowledged), failed \(failed), consumed \(consumed), lost \(lost), duplicated \(duplicated), out of order \(outOfOrder) (first copies \(firstCopiesOutOfOrder))\(failures.isEmpty ? "" : ", failures \(failures)")"
        }
    }

    /// 100,000 by default, so that a dozen faults land (one every `faultEvery` records);
    /// scripts/sanitize lowers it, since sanitizers slow librdkafka's callers several times over.
    static let records = ProcessInfo.processInfo.environment["RDKAFKA_TEST_FAULT_RECORDS"].flatMap(Int.init) ?? 100_000
    static let partitions: Int32 = 6
    static let faultEvery = 8_000

    /// The errors librdkafka retries. NETWORK_EXCEPTION is left out here: librdkafka (2.0.2 and
    /// 2.16) fails the records of a produce request answered with it instead of retrying them;
    /// `networkExceptionFailsRecordsVisibly` pins that down.
    static let retriedErrors: [KafkaError.Code] = [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas]

    /// How the producer guards against duplicates.
    enum Guard: String {
        case none = "not idempotent"
        case idempotent = "idempotent"
        /// Idempotent with a transactional id, every record in one transaction: librdkafka's mock
        /// broker checks sequence numbers only for a producer with a transactional id
        /// (`rd_kafka_mock_validate_records` in 2.0.2; 2.16's behaves the same here), so only then
        /// does it drop the copies a producer resends after a connection lost between append and
        /// answer, as Kafka's brokers do for any idempotent producer.
        case transactional = "idempotent and transactional"
    }

    func run(
        _ guarded: Guard, injectedErrors: [KafkaError.Code] = retriedErrors, firstFault: Int = 0, records: Int = records
    ) async throws -> Tally {
        let topic = "faults-\(guarded)"
        let cluster = try MockCluster(brokers: 3)
        try cluster.createTopic(topic, partitions: Self.partitions, replicationFactor: 3)
        var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
        configuration.acks = .all
        configuration.enableIdempotence = guarded != .none
        if guarded == .none { configuration.maxInFlightRequestsPerConnection = 5 }
        configuration.deliveryTimeout = .seconds(120)
        if guarded == .transactional {
            configuration.transactionalID = "faults"
            // librdkafka requires a delivery timeout no longer than the transaction's.
            configuration.transactionTimeout = .seconds(300)
        }
        configuration.retryBackoff = .milliseconds(20)
        configuration.deliveryReportBufferSize = records
        // A broker brought back is reconnected to within a second, not librdkafka's default 10 s.
        configuration.additionalProperties["reconnect.backoff.max.ms"] = "1000"
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        if guarded == .transactional {
            try await producer.initTransactions()
            try producer.beginTransaction()
        }

        var faults = FaultPlan(
            cluster: cluster, topic: topic, partitions: Self.partitions, retriableErrors: injectedErrors, firstStep: firstFault)
        for index in 0..<records {
            if index > 0 && index % Self.faultEvery == 0 { try faults.next() }
            let record = ProducerRecord(topic: topic, key: "key-\(index % 997)", value: "\(index)")
            try await producer.enqueue(record, correlationID: UInt64(index))
        }
        try faults.heal()
        try await producer.flush(timeout: .seconds(120))
        if guarded == .transactional { try await producer.commitTransaction() }

        var tally = Tally(sent: records)
        var reports = producer.deliveryReports.makeAsyncIterator()
        for _ in 0..<records {
            guard let outcome = await reports.next() else { break }
            switch outcome.result {
            case .success: tally.acknowledged += 1
            case .failure(let error):
                tally.failed += 1
                tally.failures[error.code.name, default: 0] += 1
            }
        }
        await producer.shutdown()

        let consumed = try await TestConsumer.consume(
            topic: topic, partitions: Self.partitions, bootstrapServers: cluster.bootstrapServers,
            expecting: tally.acknowledged, readToEnd: true, timeout: .seconds(60))
        // The cluster must outlive the reader: Swift may release it after its last use above.
        withExtendedLifetime(cluster) {}
        tally.consumed = consumed.count
        var seen = [Int](repeating: 0, count: records)
        var allCopies = OrderCount()
        var firstCopies = OrderCount()
        for record in consumed.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            guard let value = record.value, let sequence = Int(String(decoding: value, as: UTF8.self)) else { continue }
            seen[sequence] += 1
            allCopies.add(sequence, partition: record.partition)
            if seen[sequence] == 1 { firstCopies.add(sequence, partition: record.partition) }
        }
        tally.outOfOrder = allCopies.outOfOrder
        tally.firstCopiesOutOfOrder = firstCopies.outOfOrder
        tally.lost = seen.filter { $0 == 0 }.count
        tally.duplicated = seen.reduce(0) { $0 + max(0, $1 - 1) }
        print("fault injection, \(guarded.rawValue): \(tally)")
        return tally
    }

    @Test("Idempotent and transactional, acks=all: nothing lost, nothing duplicated, per-partition order kept, every send resolved")
    func idempotentTransactional() async throws {
        let records = Self.records
        let tally = try await run(.transactional)
        #expect(tally.acknowledged == records, "\(tally)")
        #expect(tally.consumed == records, "\(tally)")
        #expect(tally.lost == 0, "\(tally)")
        #expect(tally.duplicated == 0, "\(tally)")
        #expect(tally.outOfOrder == 0, "\(tally)")
    }

    /// The mock broker keeps every copy such a producer resends (see ``Guard/transactional``), so
    /// duplicates here are the mock's, not the producer's. They appear when a broker goes down
    /// with answers still pending: rarely at full speed, 47 in a ThreadSanitizer run, and 676 to
    /// 4,099 per run in 8 of 11 runs of a plan that downed a broker while it held answers back,
    /// every first copy in order, while the transactional run kept none in the same 11. The
    /// real-broker runs (`BrokerFaultTests`) pause the broker for less than the socket timeout, so
    /// they need not make the producer resend: a broker dropping resent copies is not shown here.
    @Test("Idempotent without a transaction, acks=all: nothing lost, first copies in per-partition order, every send resolved")
    func idempotent() async throws {
        let records = Self.records
        let tally = try await run(.idempotent)
        #expect(tally.acknowledged == records, "\(tally)")
        #expect(tally.lost == 0, "\(tally)")
        #expect(tally.firstCopiesOutOfOrder == 0, "\(tally)")
    }

    @Test("Without idempotence, acks=all: every send resolved and nothing acknowledged is lost; duplicates and reordering are possible")
    func notIdempotent() async throws {
        let tally = try await run(.none)
        #expect(tally.acknowledged + tally.failed == Self.records, "\(tally)")
        #expect(tally.lost <= tally.failed, "only records reported failed may be missing: \(tally)")
    }
}

extension FaultInjectionTests {
    @Test("A produce request answered with NETWORK_EXCEPTION fails its records visibly, as retriable; none vanish")
    func networkExceptionFailsRecordsVisibly() async throws {
        // 20,000 records cross two faults: the injected request errors (step 2) and a slow
        // broker (step 3). Neither drops a connection, so the mock has no resent copies to keep.
        let tally = try await run(.idempotent, injectedErrors: [.networkException], firstFault: 2, records: 20_000)
        #expect(tally.failed > 0, "librdkafka retried NETWORK_EXCEPTION after all; fold it into the main test: \(tally)")
        #expect(tally.failures.keys.allSatisfy { $0 == "NETWORK_EXCEPTION" }, "\(tally)")
        #expect(tally.acknowledged + tally.failed == 20_000, "\(tally)")
        #expect(tally.lost == tally.failed, "exactly the failed records are missing: \(tally)")
        #expect(tally.duplicated == 0, "\(tally)")
    }
}

/// Records read in offset order that come after a higher sequence number of their partition.
struct OrderCount {
    private var highest: [Int32: Int] = [:]
    private(set) var outOfOrder = 0

    mutating func add(_ sequence: Int, partition: Int32) {
        if let highest = highest[partition], sequence < highest { outOfOrder += 1 }
        highest[partition] = max(sequence, highest[partition] ?? sequence)
    }
}

/// The faults, in turn: a broker down then up, a slow broker, retriable errors on the
/// next produce requests, a slow broker, all brokers at full speed again.
struct FaultPlan {
    let cluster: MockCluster
    let topic: String
    let partitions: Int32
    let retriableErrors: [KafkaError.Code]
    private var step = 0
    private var downBroker: Int32?

    init(cluster: MockCluster, topic: String, partitions: Int32, retriableErrors: [KafkaError.Code], firstStep: Int = 0) {
        step = firstStep
        self.cluster = cluster
        self.topic = topic
        self.partitions = partitions
        self.retriableErrors = retriableErrors
    }

    mutating func next() throws {
        defer { step += 1 }
        if let broker = downBroker {
            try cluster.setBrokerUp(broker)
            downBroker = nil
        }
        switch step % 5 {
        case 0:
            let broker = Int32(step % 3 + 1)
            try cluster.setBrokerDown(broker)
            downBroker = broker
        case 1:
            // Leader moves are left out: after librdkafka 2.0.2's mock cluster moves leaders,
            // some acknowledged records cannot be read back from it (about 1 run in 4 here, a few
            // hundred records, also with the reader checked to outlive nothing), which would make
            // the tally about the mock, not the producer. BrokerFaultTests cover a real broker lost.
            try cluster.setRoundTripTime(.milliseconds(20), broker: Int32(step % 3 + 1))
        case 2:
            cluster.pushRequestErrors(retriableErrors)
        case 3:
            try cluster.setRoundTripTime(.milliseconds(50), broker: Int32(step % 3 + 1))
        default:
            // Not here: downing the broker slowed at step 3 while it holds answers back. It makes
            // the producer resend at any speed, but a transactional producer's resends can then
            // stall its transaction (nothing delivered, the queue full), as librdkafka allows,
            // and the soak runs this plan transactionally.
            for broker: Int32 in 1...3 { try cluster.setRoundTripTime(.zero, broker: broker) }
        }
    }

    mutating func heal() throws {
        if let broker = downBroker { try cluster.setBrokerUp(broker) }
        downBroker = nil
        for broker: Int32 in 1...3 { try cluster.setRoundTripTime(.zero, broker: broker) }
    }
}
