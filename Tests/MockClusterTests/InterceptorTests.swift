import TestSupport
import Testing

@testable import RdKafka

/// Appends `-name` to each value and a `seen-by: name` header, and logs its calls.
private struct Tagger: ProducerInterceptor {
    let name: String
    let log: LockedValue<[String]>

    func onSend(_ record: ProducerRecord) throws -> ProducerRecord {
        log.withLock { $0.append("\(name).onSend") }
        var record = record
        record.value = (record.value ?? []) + Array("-\(name)".utf8)
        record.headers.append(ProducerRecord.Header(name: "seen-by", value: name))
        return record
    }

    func onAcknowledgement(_ outcome: DeliveryOutcome) {
        log.withLock { $0.append("\(name).onAcknowledgement") }
    }
}

/// Keeps every outcome and every record it was asked about.
private final class Recorder: ProducerInterceptor {
    let outcomes = LockedValue<[DeliveryOutcome]>([])
    let sent = LockedValue<[String]>([])

    func onSend(_ record: ProducerRecord) throws -> ProducerRecord {
        sent.withLock { $0.append(String(decoding: record.value ?? [], as: UTF8.self)) }
        return record
    }

    func onAcknowledgement(_ outcome: DeliveryOutcome) {
        outcomes.withLock { $0.append(outcome) }
    }

    var failureCodes: [KafkaError.Code] {
        outcomes.withLock { $0.compactMap { if case .failure(let error) = $0.result { error.code } else { nil } } }
    }
}

/// Refuses records whose key is `bad`.
private struct RefuseBadKeys: ProducerInterceptor {
    struct BadKey: Error, CustomStringConvertible {
        var description: String { "the key is bad" }
    }

    func onSend(_ record: ProducerRecord) throws -> ProducerRecord {
        if record.key == Array("bad".utf8) { throw BadKey() }
        return record
    }
}

@Suite("Producer interceptors on the mock cluster", .timeLimit(.minutes(2)))
struct InterceptorTests {
    @Test("Interceptors run in the configured order, and the record onSend changed is the one written")
    func orderAndChangedRecord() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let log = LockedValue<[String]>([])
        let producer = try fixture.producer {
            $0.interceptors = [Tagger(name: "first", log: log), Tagger(name: "second", log: log)]
        }
        _ = try await producer.send(fixture.record("v"))
        // Acknowledged before the sender is resumed, so the log is complete here.
        #expect(
            log.withLock { $0 } == [
                "first.onSend", "second.onSend", "first.onAcknowledgement", "second.onAcknowledgement",
            ])
        let written = try await fixture.readBack(expecting: 1)
        #expect(written.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["v-first-second"])
        #expect(written.first?.headers.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["first", "second"])
        await producer.shutdown()
    }

    @Test("onAcknowledgement sees every record once: awaited, batch and fire-and-forget, delivered, failed or refused")
    func everyOutcome() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let recorder = Recorder()
        let producer = try fixture.producer { $0.interceptors = [recorder] }

        let report = try await producer.send(fixture.record("awaited"))
        #expect(recorder.outcomes.withLock { $0 } == [DeliveryOutcome(correlationID: 0, result: .success(report))])

        let batch = await producer.send(contentsOf: [
            fixture.record("batch-1"), fixture.record("refused in batch", partition: -1), fixture.record("batch-2"),
        ])
        #expect(batch.map { (try? $0.get()) != nil } == [true, false, true])

        try await producer.enqueue(fixture.record("enqueued"), correlationID: 7)
        try producer.tryEnqueue(fixture.record("tried"), correlationID: 8)
        var reported: Set<UInt64> = []
        for await outcome in producer.deliveryReports {
            reported.insert(outcome.correlationID)
            if reported == [7, 8] { break }
        }

        // A broker error after the write is attempted: a delivery failure.
        fixture.cluster.pushRequestErrors([.topicAuthorizationFailed])
        let failure = try await #require(throws: KafkaError.self) { try await producer.send(fixture.record("denied")) }
        #expect(failure.code == .topicAuthorizationFailed)

        // Refused before librdkafka takes it, by each kind of send.
        await #expect(throws: KafkaError.self) { try await producer.send(fixture.record("refused", partition: -1)) }
        #expect(throws: KafkaError.self) { try producer.tryEnqueue(fixture.record("refused"), correlationID: 1 << 62) }

        let outcomes = recorder.outcomes.withLock { $0 }
        #expect(outcomes.count == 9, "one outcome per record handed to the producer")
        #expect(recorder.sent.withLock { $0 }.count == 9)
        #expect(outcomes.filter { (try? $0.result.get()) != nil }.count == 5)
        #expect(Set(outcomes.map(\.correlationID)).isSuperset(of: [7, 8]))
        #expect(recorder.failureCodes == [.invalidRecord, .topicAuthorizationFailed, .invalidRecord, .invalidArgument])
        await producer.shutdown()
    }

    @Test("A throwing onSend refuses only its record, with a typed error naming the interceptor; the others go on")
    func onSendErrorIsContained() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let after = Recorder()
        let producer = try fixture.producer { $0.interceptors = [RefuseBadKeys(), after] }

        let refusal = try await #require(throws: KafkaError.self) {
            try await producer.send(fixture.record("refused", key: "bad"))
        }
        #expect(refusal.code == .interceptor)
        #expect(refusal.message.contains("RefuseBadKeys"))
        #expect(refusal.message.contains("the key is bad"))
        #expect(refusal.topic == fixture.topic)
        let enqueueRefusal = try await #require(throws: KafkaError.self) {
            try await producer.enqueue(fixture.record("refused too", key: "bad"), correlationID: 5)
        }
        #expect(enqueueRefusal.code == .interceptor && enqueueRefusal.correlationID == 5)
        let batch = await producer.send(contentsOf: [fixture.record("refused", key: "bad"), fixture.record("batched")])
        #expect(batch.map { (try? $0.get()) == nil ? "failed" : "sent" } == ["failed", "sent"])

        _ = try await producer.send(fixture.record("sent", key: "good"))
        // The interceptor after the refusing one never saw the refused records, but heard of them.
        #expect(after.sent.withLock { $0 } == ["batched", "sent"])
        #expect(after.failureCodes == [.interceptor, .interceptor, .interceptor])
        #expect(after.outcomes.withLock { $0 }.map(\.correlationID).first(where: { $0 != 0 }) == 5)
        // Read to the end, so that a refused record written after all would show.
        let written = try await TestConsumer.consume(
            topic: fixture.topic, partitions: 1, bootstrapServers: fixture.cluster.bootstrapServers, expecting: 2, readToEnd: true)
        #expect(written.map { String(decoding: $0.value ?? [], as: UTF8.self) }.sorted() == ["batched", "sent"])
        await producer.shutdown()
    }
}
