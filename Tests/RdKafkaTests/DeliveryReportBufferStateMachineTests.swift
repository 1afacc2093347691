import Foundation
import TestSupport
import Testing

@testable import RdKafka

/// The report buffer's state machine, fed events directly: continuations are stood in for by
/// numbers. The invariant under test: every outcome appended is handed to a reader or counted
/// as dropped.
@Suite("DeliveryReportBuffer state machine")
struct DeliveryReportBufferStateMachineTests {
    typealias Machine = DeliveryReportBuffer.StateMachine<Int>

    func outcomes(_ ids: Range<UInt64>) -> [DeliveryOutcome] {
        ids.map { id in
            DeliveryOutcome(
                correlationID: id,
                result: .success(DeliveryReport(topic: "t", partition: 0, offset: Int64(id), timestamp: nil, timestampType: nil)))
        }
    }

    /// The ids a delivery hands to a reader, or `nil` if it buffered.
    func handedOver(_ delivery: Machine.Delivery) -> (reader: Int, ids: [UInt64])? {
        guard case .resume(let reader, let chunk) = delivery else { return nil }
        return (reader, chunk.map(\.correlationID))
    }

    func droppedBy(_ delivery: Machine.Delivery) -> Int? {
        guard case .buffered(let dropped) = delivery else { return nil }
        return dropped
    }

    func waitingReader(_ machine: inout Machine, _ waiter: Int) -> UInt64 {
        let id = machine.reserveReader()
        guard case .wait = machine.registerReader(id, waiter: waiter) else {
            Issue.record("reader \(waiter) did not wait")
            return id
        }
        return id
    }

    @Test("Without a reader, outcomes are buffered in order and taken all at once")
    func buffersInOrder() {
        var machine = Machine(capacity: 100)
        #expect(droppedBy(machine.append(outcomes(0..<3))) == 0)
        #expect(droppedBy(machine.append(outcomes(3..<5))) == 0)
        #expect(machine.takeBuffered()?.map(\.correlationID) == [0, 1, 2, 3, 4])
        #expect(machine.takeBuffered() == nil)
    }

    @Test("Past capacity the oldest are overwritten and counted; the newest are kept in order")
    func ringDropsOldest() {
        var machine = Machine(capacity: 4)
        _ = machine.append(outcomes(0..<3))
        #expect(droppedBy(machine.append(outcomes(3..<10))) == 6)
        #expect(machine.dropped == 6)
        #expect(machine.takeBuffered()?.map(\.correlationID) == [6, 7, 8, 9])
    }

    @Test("A waiting reader is handed every outcome of an append larger than the capacity; none is dropped")
    func waitingReaderTakesWholeAppend() {
        var machine = Machine(capacity: 4)
        _ = waitingReader(&machine, 1)
        let delivery = handedOver(machine.append(outcomes(0..<100)))
        #expect(delivery?.reader == 1)
        #expect(delivery?.ids == Array(0..<100))
        #expect(machine.dropped == 0)
        #expect(machine.waitingReaderCount == 0)
        #expect(machine.bufferedCount == 0)
    }

    @Test("A reader registering while outcomes are buffered takes them at once instead of waiting")
    func registerWithBufferedOutcomes() {
        var machine = Machine(capacity: 10)
        let id = machine.reserveReader()
        _ = machine.append(outcomes(0..<2))
        guard case .resume(let chunk?) = machine.registerReader(id, waiter: 1) else {
            Issue.record("the reader should have been resumed with the buffered outcomes")
            return
        }
        #expect(chunk.map(\.correlationID) == [0, 1])
        #expect(machine.waitingReaderCount == 0)
    }

    @Test("Cancelled before registering: the registration resumes with nil and the next append is buffered")
    func cancelBeforeRegister() {
        var machine = Machine(capacity: 10)
        let id = machine.reserveReader()
        #expect(machine.cancelReader(id) == nil)
        guard case .resume(nil) = machine.registerReader(id, waiter: 1) else {
            Issue.record("a cancelled reader must not wait")
            return
        }
        #expect(droppedBy(machine.append(outcomes(0..<1))) == 0)
        #expect(machine.bufferedCount == 1)
    }

    @Test("Cancelled while waiting: the continuation is handed back once, and appends go to the buffer")
    func cancelWhileWaiting() {
        var machine = Machine(capacity: 10)
        let id = waitingReader(&machine, 7)
        #expect(machine.cancelReader(id) == 7)
        #expect(machine.cancelReader(id) == nil)
        #expect(droppedBy(machine.append(outcomes(0..<2))) == 0)
        #expect(machine.bufferedCount == 2)
    }

    @Test("Cancelled after being handed an append: nothing happens, the outcomes are the reader's")
    func cancelAfterHandover() {
        var machine = Machine(capacity: 10)
        let id = waitingReader(&machine, 7)
        #expect(handedOver(machine.append(outcomes(0..<2)))?.reader == 7)
        #expect(machine.cancelReader(id) == nil)
        #expect(machine.bufferedCount == 0)
    }

    @Test("finish returns the waiting readers; later readers get what is buffered, then nil")
    func finish() {
        var machine = Machine(capacity: 10)
        _ = waitingReader(&machine, 1)
        _ = waitingReader(&machine, 2)
        #expect(Set(machine.finish()) == [1, 2])
        _ = machine.append(outcomes(0..<1))
        let late = machine.reserveReader()
        guard case .resume(let chunk?) = machine.registerReader(late, waiter: 3) else {
            Issue.record("buffered outcomes stay readable after finish")
            return
        }
        #expect(chunk.count == 1)
        let last = machine.reserveReader()
        guard case .resume(nil) = machine.registerReader(last, waiter: 4) else {
            Issue.record("finished and empty: the reader must not wait")
            return
        }
    }

    @Test("Outcomes given back go in front of newer ones, in order")
    func giveBackKeepsOrder() {
        var machine = Machine(capacity: 10)
        // An iterator took 0..<5 and handed out 0 and 1; 5 and 6 arrived since.
        let taken = outcomes(0..<5)
        _ = machine.append(outcomes(5..<7))
        #expect(droppedBy(machine.giveBack(taken[2...])) == 0)
        #expect(machine.takeBuffered()?.map(\.correlationID) == [2, 3, 4, 5, 6])
    }

    @Test("Outcomes given back past the capacity drop the oldest, counted")
    func giveBackPastCapacity() {
        var machine = Machine(capacity: 4)
        _ = machine.append(outcomes(3..<6))
        #expect(droppedBy(machine.giveBack(outcomes(0..<3)[...])) == 2)
        #expect(machine.dropped == 2)
        #expect(machine.takeBuffered()?.map(\.correlationID) == [2, 3, 4, 5])
    }

    @Test("Outcomes given back while a reader waits go to that reader")
    func giveBackToWaitingReader() {
        var machine = Machine(capacity: 4)
        _ = waitingReader(&machine, 9)
        let delivery = handedOver(machine.giveBack(outcomes(0..<6)[...]))
        #expect(delivery?.reader == 9)
        #expect(delivery?.ids == Array(0..<6))
        #expect(machine.dropped == 0)
    }

    @Test("Seeded random events: every outcome appended is read or counted as dropped")
    func accountingUnderRandomEvents() {
        for seed: UInt64 in 1...20 {
            var random = SeededGenerator(seed: seed)
            var machine = Machine(capacity: Int(random.next() % 8) + 1)
            var appended: UInt64 = 0
            var read = 0
            var readers: [UInt64] = []
            for step in 0..<500 {
                switch random.next() % 6 {
                case 0, 1:
                    let count = random.next() % 12 + 1
                    if let (_, chunk) = handedOver(machine.append(outcomes(appended..<appended + count))) { read += chunk.count }
                    appended += count
                case 2:
                    let id = machine.reserveReader()
                    switch machine.registerReader(id, waiter: step) {
                    case .wait: readers.append(id)
                    case .resume(let chunk): read += chunk?.count ?? 0
                    }
                case 3:
                    // A cancelled waiter is resumed with nil: it read nothing.
                    if let id = readers.popLast() { _ = machine.cancelReader(id) }
                case 4:
                    // An iterator that takes a chunk, hands out part of it and is abandoned.
                    if let chunk = machine.takeBuffered() {
                        let handedOut = Int(random.next() % UInt64(chunk.count + 1))
                        read += handedOut
                        if let (_, given) = handedOver(machine.giveBack(chunk[handedOut...])) { read += given.count }
                    }
                default:
                    if let chunk = machine.takeBuffered() { read += chunk.count }
                }
            }
            read += machine.takeBuffered()?.count ?? 0
            #expect(UInt64(read + machine.dropped) == appended, "seed \(seed)")
        }
    }
}
