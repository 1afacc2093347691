import Foundation
import TestSupport
import Testing

@testable import RdKafka

@Suite("BatchCollector: outcomes in the records' order, handed over once")
struct BatchCollectorTests {
    static func delivered(offset: Int64) -> BatchCollector.Outcome {
        .success(DeliveryReport(topic: "t", partition: 0, offset: offset, timestamp: nil, timestampType: nil))
    }

    @Test("Outcomes that arrive out of order, before anyone waits, come back in the records' order")
    func completeBeforeWaiting() async {
        let collector = BatchCollector(count: 4)
        collector.complete([(2, Self.delivered(offset: 12)), (0, Self.delivered(offset: 10))])
        collector.complete(3, with: .failure(KafkaError(code: .cancelled, message: "three")))
        collector.complete(1, with: Self.delivered(offset: 11))
        let outcomes = await collector.outcomes()
        #expect(outcomes.count == 4)
        #expect(outcomes.prefix(3).map { try? $0.get().offset } == [10, 11, 12])
        guard case .failure(let error) = outcomes[3] else {
            Issue.record("the fourth outcome should be the failure")
            return
        }
        #expect(error.message == "three")
    }

    @Test("A caller waiting before the last outcome is resumed by it, with every outcome")
    func waitingBeforeTheLastOutcome() async throws {
        let collector = BatchCollector(count: 3)
        collector.complete(0, with: Self.delivered(offset: 0))
        let waiter = Task { await collector.outcomes() }
        try await waitUntil { collector.hasWaiter }
        collector.complete([(2, Self.delivered(offset: 2)), (1, Self.delivered(offset: 1))])
        let outcomes = await waiter.value
        #expect(outcomes.map { try? $0.get().offset } == [0, 1, 2])
    }

    @Test("An empty batch has no outcomes and does not wait")
    func emptyBatch() async {
        let collector = BatchCollector(count: 0)
        #expect(await collector.outcomes().isEmpty)
    }

    @Test("Outcomes hold their own storage: the caller's array outlives the collector")
    func outcomesOutliveTheCollector() async throws {
        var outcomes: [BatchCollector.Outcome] = []
        do {
            let collector = BatchCollector(count: 2)
            collector.complete([
                (0, Self.delivered(offset: 7)), (1, .failure(KafkaError(code: .cancelled, message: String(repeating: "x", count: 64)))),
            ])
            outcomes = await collector.outcomes()
        }
        #expect(try outcomes[0].get().offset == 7)
        if case .failure(let error) = outcomes[1] { #expect(error.message.count == 64) } else { Issue.record("expected the failure") }
    }
}
