import Foundation
import RdKafka
import Synchronization
import TestSupport
import Testing

/// A real broker (tansu, its own instance) frozen or killed in the middle of a stream.
/// `.serialized`: the tests share that instance; the other suites use other instances.
@Suite(
    "Real broker: paused and killed mid-stream", .serialized,
    .enabled(if: FaultBroker.isUsable, "\(BrokerEnvironment.disabledReason); or no fault broker in RDKAFKA_TEST_BROKER_FAULT"),
    .timeLimit(.minutes(6)))
struct BrokerFaultTests {
    let broker = FaultBroker.current!
    /// tansu auto-creates topics with 4 partitions.
    static let partitions: Int32 = 4

    /// Everything the topic holds, read for `seconds`: tansu's high watermarks are unreliable,
    /// so the reader cannot tell when it has reached the end and takes whatever arrives meanwhile.
    func consumeAll(_ topic: String, seconds: Int = 20) async throws -> [String] {
        try await TestConsumer.consume(
            topic: topic, partitions: Self.partitions, bootstrapServers: broker.address, expecting: .max, timeout: .seconds(seconds)
        ).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    @Test("Broker paused mid-stream then resumed: every record delivered exactly once", arguments: [5, 35])
    func pauseAndResume(seconds: Int) async throws {
        let topic = BrokerEnvironment.uniqueTopic("paused-\(seconds)s")
        let records = 20_000
        var configuration = ProducerConfiguration(bootstrapServers: [broker.address])
        configuration.enableIdempotence = true
        configuration.linger = .milliseconds(5)
        configuration.deliveryTimeout = .seconds(120)
        configuration.deliveryReportBufferSize = records
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        try await producer.waitUntilConnected()
        let clock = ContinuousClock()
        let outcomes = Task { () -> [(at: ContinuousClock.Instant, outcome: DeliveryOutcome)] in
            var all: [(at: ContinuousClock.Instant, outcome: DeliveryOutcome)] = []
            for await outcome in producer.deliveryReports {
                all.append((clock.now, outcome))
                if all.count == records { break }
            }
            return all
        }
        for index in 0..<records / 2 {
            try await producer.enqueue(ProducerRecord(topic: topic, value: "\(index)"), correlationID: UInt64(index))
        }
        try broker.pause()
        let paused = clock.now
        for index in records / 2..<records {
            try await producer.enqueue(ProducerRecord(topic: topic, value: "\(index)"), correlationID: UInt64(index))
        }
        // The pause itself is the fault under test: the broker stays frozen this long.
        try await Task.sleep(until: paused + .seconds(seconds))
        try broker.resume()
        let resumed = clock.now
        let reported = await outcomes.value
        await producer.shutdown()

        var delivered = 0
        var failures: [String: Int] = [:]
        for (_, outcome) in reported {
            switch outcome.result {
            case .success: delivered += 1
            case .failure(let error): failures[error.code.name, default: 0] += 1
            }
        }
        let firstAfterResume = reported.first { $0.at >= resumed && (try? $0.outcome.result.get()) != nil }?.at
        let allDone = reported.last?.at
        let consumed = try await consumeAll(topic)
        var counts: [String: Int] = [:]
        for value in consumed { counts[value, default: 0] += 1 }
        let duplicates = counts.values.reduce(0) { $0 + max(0, $1 - 1) }
        let lost = (0..<records).filter { counts["\($0)"] == nil }.count
        print(
            "broker paused \(seconds) s: sent \(records), delivered \(delivered), failed \(failures), consumed \(consumed.count), duplicates \(duplicates), lost \(lost), first delivery \(firstAfterResume.map { "\($0 - resumed)" } ?? "none") after SIGCONT, all reported \(allDone.map { "\($0 - resumed)" } ?? "never") after SIGCONT"
        )
        #expect(reported.count == records)
        #expect(delivered == records, "\(failures)")
        #expect(duplicates == 0)
        #expect(lost == 0)
    }

    /// Shared by the sending tasks and the test: when to stop, and how many were delivered.
    final class Progress: Sendable {
        let stop = Atomic<Bool>(false)
        let delivered = Atomic<Int>(0)
    }

    struct Send {
        var value: String
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
        var error: KafkaError?
    }

    @Test(
        "Broker killed and restarted mid-stream: every awaiting send ends within the delivery timeout, typed; every delivery reported after the restart is read back",
        arguments: [3, 15])
    func killAndRestart(outageSeconds: Int) async throws {
        let topic = BrokerEnvironment.uniqueTopic("killed-\(outageSeconds)s")
        var configuration = ProducerConfiguration(bootstrapServers: [broker.address])
        configuration.acks = .all
        configuration.linger = .milliseconds(5)
        configuration.deliveryTimeout = .seconds(10)
        configuration.additionalProperties["reconnect.backoff.max.ms"] = "500"
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        try await producer.waitUntilConnected()
        let clock = ContinuousClock()
        let progress = Progress()
        // 100 tasks, each awaiting one send after another (key = task, so one partition each).
        let senders = (0..<100).map { sender in
            Task { () -> [Send] in
                var sends: [Send] = []
                var index = 0
                while !progress.stop.load(ordering: .relaxed) {
                    let value = "\(sender)-\(index)"
                    index += 1
                    let started = clock.now
                    do {
                        _ = try await producer.send(ProducerRecord(topic: topic, key: "\(sender)", value: value))
                        progress.delivered.add(1, ordering: .relaxed)
                        sends.append(Send(value: value, started: started, ended: clock.now))
                    } catch let error as KafkaError {
                        sends.append(Send(value: value, started: started, ended: clock.now, error: error))
                    } catch {
                        Issue.record("untyped error: \(error)")
                    }
                }
                return sends
            }
        }
        try await waitUntil(within: .seconds(60), polling: .milliseconds(5)) { progress.delivered.load(ordering: .relaxed) >= 2000 }
        let killing = clock.now
        try await broker.run("kill")
        let killed = clock.now
        // The outage itself: the broker stays dead this long.
        try await Task.sleep(until: killing + .seconds(outageSeconds))
        let starting = clock.now
        try await broker.run("start")
        let restarted = clock.now
        // Sending goes on for longer than the delivery timeout after the restart, so every record
        // sent into the outage has met its end (delivered or timed out) within the run.
        try await Task.sleep(until: restarted + .seconds(12))
        progress.stop.store(true, ordering: .relaxed)
        var sends: [Send] = []
        for sender in senders { sends += await sender.value }
        await producer.shutdown()

        let failed = sends.filter { $0.error != nil }
        var failures: [String: Int] = [:]
        for send in failed { failures[send.error!.code.name, default: 0] += 1 }
        let longest = sends.map { $0.ended - $0.started }.max() ?? .zero
        let lastFailure = failed.map { $0.ended - killing }.max()
        let deliveredDuringOutage = sends.filter { $0.error == nil && $0.ended > killed && $0.ended < starting }.count
        let deliveredAfterRestart = sends.filter { $0.error == nil && $0.started >= restarted }.map(\.value)
        let consumed = Set(try await consumeAll(topic))
        let missing = deliveredAfterRestart.filter { !consumed.contains($0) }.count
        print(
            "broker killed for \(outageSeconds) s: \(sends.count) sends, \(sends.count - failed.count) delivered, failed \(failures), longest send \(longest), last failure \(lastFailure.map { "\($0)" } ?? "none") after the kill, delivered during the outage \(deliveredDuringOutage), sent and delivered after the restart \(deliveredAfterRestart.count), of which missing from the broker \(missing)"
        )
        #expect(longest <= .seconds(12), "every send ends within the 10 s delivery timeout (plus scheduling)")
        #expect(failed.allSatisfy { $0.error?.code == .messageTimedOut }, "\(failures)")
        if outageSeconds > 10 { #expect(!failed.isEmpty, "records waiting longer than the delivery timeout fail") }
        #expect(deliveredDuringOutage == 0, "nothing can be acknowledged by a dead broker")
        #expect(missing == 0)
    }
}
