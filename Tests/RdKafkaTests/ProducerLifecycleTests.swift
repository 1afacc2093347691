import Testing

@testable import RdKafka

@Suite("ProducerLifecycle state machine")
struct ProducerLifecycleTests {
    typealias Lifecycle = ProducerLifecycle<Int>

    @Test("The first shutdown starts closing; later ones wait; all resume once it is closed")
    func shutdownCallers() {
        var lifecycle = Lifecycle()
        #expect(lifecycle.isRunning)
        #expect(lifecycle.shutdownRequested(waiter: 1) == .startClosing, "first must start closing")
        #expect(!lifecycle.isRunning)
        #expect(lifecycle.shutdownRequested(waiter: 2) == .wait, "second must wait")
        #expect(lifecycle.closed() == [1, 2])
        #expect(lifecycle.shutdownRequested(waiter: 3) == .resume, "after close, resume at once")
        #expect(lifecycle.closed().isEmpty, "nobody is resumed twice")
    }

    @Test("A background shutdown (a released producer) starts closing without a waiter; a later caller waits for it")
    func backgroundShutdown() {
        var lifecycle = Lifecycle()
        #expect(lifecycle.shutdownRequested(waiter: nil) == .startClosing, "must start closing")
        #expect(lifecycle.shutdownRequested(waiter: 5) == .wait, "must wait for the running shutdown")
        #expect(lifecycle.shutdownRequested(waiter: nil) == .wait, "a second background request waits too")
        #expect(lifecycle.closed() == [5])
    }
}

@Suite("WaiterTable")
struct WaiterTableTests {
    typealias Table = WaiterTable<Int, String>

    @Test("Reserved, waiting, removed: each continuation comes out once, in arrival order")
    func shape() {
        var table = Table()
        let a = table.reserve()
        let b = table.reserve()
        let c = table.reserve()
        table.register(b, continuation: 2, payload: "b")
        table.register(a, continuation: 1, payload: "a")
        #expect(table.cancel(c) == nil, "reserved: marked, nothing to resume")
        let cancelledEarly = table.takeEarlyCancellation(c)
        #expect(cancelledEarly)
        let cancelledAgain = table.takeEarlyCancellation(c)
        #expect(!cancelledAgain, "forgotten after")
        #expect(Array(table.waitingPayloads) == ["b", "a"])
        #expect(table.removeFirst(1).map(\.0) == [2])
        #expect(table.remove(b) == nil)
        #expect(table.cancel(a)?.0 == 1)
        #expect(table.cancel(a) == nil)
        #expect(table.waitingCount == 0)
    }

    @Test("Many waiters cancelled behind a long one keep the table small and the order right")
    func compaction() {
        var table = Table()
        let first = table.reserve()
        table.register(first, continuation: -1, payload: "first")
        for value in 0..<10_000 {
            let id = table.reserve()
            table.register(id, continuation: value, payload: "\(value)")
            if value % 10 != 0 { _ = table.cancel(id) }
        }
        #expect(table.waitingCount == 1001)
        #expect(table.removeAll { _ in true }.map(\.0) == [-1] + Array(stride(from: 0, to: 10_000, by: 10)))
    }
}
