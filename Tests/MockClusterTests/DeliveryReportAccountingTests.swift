import Foundation
import RdKafka
import Testing

/// Fire-and-forget outcomes are never lost silently: each one is read from `deliveryReports` or
/// counted in `droppedDeliveryReports`.
@Suite("Delivery report accounting", .timeLimit(.minutes(1)))
struct DeliveryReportAccountingTests {
    @Test("With a 4-outcome buffer and a waiting reader, 100 records are all read or counted as dropped")
    func waitingReaderWithTinyBuffer() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer {
            $0.deliveryReportBufferSize = 4
            // One produce request, so the reports arrive as one delivery event.
            $0.linger = .milliseconds(50)
        }
        let reports = producer.deliveryReports
        // Started first, so it is waiting when the reports arrive.
        let reader = Task {
            var read = 0
            for await _ in reports { read += 1 }
            return read
        }
        try await producer.waitUntilConnected()
        for index in 0..<100 { try producer.tryEnqueue(fixture.record("r\(index)"), correlationID: UInt64(index)) }
        try await producer.flush(timeout: .seconds(30))
        await producer.shutdown()
        let read = await reader.value
        #expect(read + producer.droppedDeliveryReports == 100, "read \(read), dropped \(producer.droppedDeliveryReports)")
    }

    @Test("Loops over deliveryReports that stop early (break, prefix, first(where:)) lose nothing")
    func abandonedLoopsLoseNothing() async throws {
        let fixture = try ClusterFixture(partitions: 1)
        let producer = try fixture.producer()
        let reports = producer.deliveryReports
        for index in 0..<10 { try producer.tryEnqueue(fixture.record("r\(index)"), correlationID: UInt64(index)) }
        try await producer.flush(timeout: .seconds(30))
        var seen: [UInt64] = []
        for await outcome in reports {
            seen.append(outcome.correlationID)
            break
        }
        for await outcome in reports.prefix(2) { seen.append(outcome.correlationID) }
        if let found = await reports.first(where: { $0.correlationID >= 3 }) { seen.append(found.correlationID) }
        await producer.shutdown()
        for await outcome in reports { seen.append(outcome.correlationID) }
        #expect(seen == Array(0..<10))
        #expect(producer.droppedDeliveryReports == 0)
    }
}
