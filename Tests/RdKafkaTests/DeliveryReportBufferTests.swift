import Foundation
import Testing

@testable import RdKafka

@Suite("DeliveryReportBuffer")
struct DeliveryReportBufferTests {
    func outcomes(_ ids: Range<UInt64>) -> [DeliveryOutcome] {
        ids.map { id in
            DeliveryOutcome(
                correlationID: id,
                result: .success(DeliveryReport(topic: "t", partition: 0, offset: Int64(id), timestamp: nil, timestampType: nil)))
        }
    }

    @Test("A reader takes everything buffered, in order")
    func takesInOrder() async {
        let buffer = DeliveryReportBuffer(capacity: 100)
        #expect(buffer.append(outcomes(0..<3)) == 0)
        #expect(buffer.append(outcomes(3..<5)) == 0)
        #expect(await buffer.next()?.map(\.correlationID) == [0, 1, 2, 3, 4])
    }

    @Test("Past capacity the oldest are overwritten and counted; the newest are kept in order")
    func ringDropsOldest() async {
        let buffer = DeliveryReportBuffer(capacity: 4)
        #expect(buffer.append(outcomes(0..<3)) == 0)
        #expect(buffer.append(outcomes(3..<10)) == 6)
        #expect(buffer.droppedCount == 6)
        #expect(await buffer.next()?.map(\.correlationID) == [6, 7, 8, 9])
        #expect(buffer.append(outcomes(10..<11)) == 0, "taking everything makes room again")
    }

    @Test("A waiting reader is handed the next append; finish ends it")
    func waitingReader() async {
        let buffer = DeliveryReportBuffer(capacity: 10)
        let reader = Task { await buffer.next()?.map(\.correlationID) }
        // Whether the reader is already waiting or not, it gets this append.
        _ = buffer.append(outcomes(0..<2))
        #expect(await reader.value == [0, 1])
        buffer.finish()
        #expect(await buffer.next() == nil)
    }

    @Test("Buffered outcomes are still read after finish, then nil")
    func drainAfterFinish() async {
        let buffer = DeliveryReportBuffer(capacity: 10)
        _ = buffer.append(outcomes(0..<2))
        buffer.finish()
        #expect(await buffer.next()?.count == 2)
        #expect(await buffer.next() == nil)
    }

    @Test("Cancelling a waiting reader ends its wait with nil and loses nothing")
    func cancelledReader() async {
        let buffer = DeliveryReportBuffer(capacity: 10)
        let reader = Task { await buffer.next() }
        reader.cancel()
        #expect(await reader.value == nil)
        _ = buffer.append(outcomes(0..<1))
        #expect(await buffer.next()?.count == 1, "the append after the cancellation went to the buffer")
    }

    @Test("A loop that stops early (break, prefix, first(where:)) loses nothing: the next loop reads on")
    func abandonedIteratorsLoseNothing() async {
        let buffer = DeliveryReportBuffer(capacity: 100)
        _ = buffer.append(outcomes(0..<10))
        buffer.finish()
        let reports = DeliveryReports(buffer: buffer)
        var seen: [UInt64] = []
        for await outcome in reports {
            seen.append(outcome.correlationID)
            break
        }
        for await outcome in reports.prefix(2) { seen.append(outcome.correlationID) }
        if let found = await reports.first(where: { $0.correlationID >= 3 }) { seen.append(found.correlationID) }
        for await outcome in reports { seen.append(outcome.correlationID) }
        #expect(seen == Array(0..<10))
        #expect(buffer.droppedCount == 0)
    }
}
