import Testing

@testable import RdKafka

@Suite("OrderedDeliveryOutcomes state machine")
struct OrderedDeliveryOutcomesStateMachineTests {
    typealias Window = OrderedDeliveryOutcomes.StateMachine<String, String>
    static let report = DeliveryReport(topic: "t", partition: 0, offset: 0, timestamp: nil, timestampType: nil)

    func outcome(_ result: OrderedDeliveryOutcomes.ReaderResult?) -> Bool? {
        guard case .outcome(let outcome)? = result else { return nil }
        return (try? outcome.get()) != nil
    }

    @Test("The pump gets room until maxInFlight records are unread, then waits until one is read")
    func room() {
        var window = Window(maxInFlight: 2)
        #expect(window.pumpWantsRoom("pump") == true)
        #expect(window.startRecord() == 0)
        #expect(window.pumpWantsRoom("pump") == true)
        #expect(window.startRecord() == 1)
        #expect(window.pumpWantsRoom("pump") == nil)
        // Completed but unread still counts: the reader sets the pace.
        #expect(window.completed(0, with: .success(Self.report)).pump == nil)
        let read = window.readerWantsNext("reader")
        #expect(outcome(read?.result) == true)
        #expect(read?.pump == "pump")
    }

    @Test("Outcomes are handed out in index order, whatever order they complete in")
    func order() {
        var window = Window(maxInFlight: 3)
        for _ in 0..<3 { _ = window.startRecord() }
        _ = window.completed(2, with: .success(Self.report))
        _ = window.completed(1, with: .failure(.cancelled()))
        #expect(window.readerWantsNext("reader") == nil, "record 0 is not known yet")
        let first = window.completed(0, with: .success(Self.report))
        #expect(first.reader?.0 == "reader")
        #expect(outcome(first.reader?.1) == true)
        #expect(outcome(window.readerWantsNext("reader")?.result) == false)
        #expect(outcome(window.readerWantsNext("reader")?.result) == true)
    }

    @Test("The end of the records ends the reader only once every outcome was read; an error comes last")
    func end() {
        var window = Window(maxInFlight: 2)
        _ = window.startRecord()
        #expect(window.sourceEnded(nil) == nil)
        #expect(window.readerWantsNext("reader") == nil)
        let last = window.completed(0, with: .success(Self.report))
        #expect(outcome(last.reader?.1) == true)
        guard case .end? = window.readerWantsNext("reader")?.result else {
            Issue.record("expected the end")
            return
        }
        var failing = Window(maxInFlight: 1)
        _ = failing.readerWantsNext("reader")
        guard case (_, .failure)? = failing.sourceEnded(CancellationError()) else {
            Issue.record("expected the waiting reader to get the error")
            return
        }
    }

    @Test("Cancelling resumes the waiting reader and pump and refuses more room")
    func cancel() {
        var window = Window(maxInFlight: 1)
        _ = window.startRecord()
        #expect(window.pumpWantsRoom("pump") == nil)
        #expect(window.readerWantsNext("reader") == nil)
        let resumed = window.cancel()
        #expect(resumed.reader == "reader")
        #expect(resumed.pump == "pump")
        #expect(window.pumpWantsRoom("pump") == false)
        #expect(window.completed(0, with: .success(Self.report)).reader == nil)
        guard case .end? = window.readerWantsNext("reader")?.result else {
            Issue.record("expected the end")
            return
        }
    }
}
