import Testing

@testable import RdKafka

/// The waiter state machine, fed events directly: continuations are stood in for by numbers.
@Suite("QueueRoomWaiters state machine")
struct QueueRoomWaitersTests {
    typealias Waiters = QueueRoomWaiters<Int>
    let now = ContinuousClock.now

    @Test("Room goes to the longest waiter first, as much as was freed")
    func fifoWake() {
        var waiters = Waiters()
        for value in 0..<5 {
            let id = waiters.reserve()
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(10), roomFreedSinceAttempt: false)
        }
        #expect(waiters.roomFreed(count: 2) == [0, 1])
        #expect(waiters.roomFreed(count: 10) == [2, 3, 4])
        #expect(waiters.roomFreed(count: 10) == [])
        #expect(waiters.waitingCount == 0)
    }

    @Test("Only the first registration's deadline asks the drain to wake")
    func wakeDrainOnEarliestDeadline() {
        var waiters = Waiters()
        let first = waiters.reserve()
        #expect(
            waiters.register(first, continuation: 1, deadline: now + .seconds(5), roomFreedSinceAttempt: false) == .wait(wakeDrain: true))
        let later = waiters.reserve()
        #expect(
            waiters.register(later, continuation: 2, deadline: now + .seconds(9), roomFreedSinceAttempt: false) == .wait(wakeDrain: false))
        let earlier = waiters.reserve()
        #expect(
            waiters.register(earlier, continuation: 3, deadline: now + .seconds(1), roomFreedSinceAttempt: false) == .wait(wakeDrain: true))
    }

    @Test("Room freed between the failed attempt and registering retries at once")
    func roomFreedWhileRegistering() {
        var waiters = Waiters()
        let id = waiters.reserve()
        #expect(waiters.register(id, continuation: 1, deadline: now + .seconds(5), roomFreedSinceAttempt: true) == .resume(.retry))
        #expect(waiters.waitingCount == 0)
    }

    @Test("Cancelled before registering: the registration resolves as cancelled")
    func cancelBeforeRegister() {
        var waiters = Waiters()
        let id = waiters.reserve()
        #expect(waiters.cancel(id) == nil)
        #expect(waiters.register(id, continuation: 1, deadline: now + .seconds(5), roomFreedSinceAttempt: false) == .resume(.cancelled))
        #expect(waiters.waitingCount == 0)
    }

    @Test("Cancelled while waiting: the continuation is handed back once and never woken")
    func cancelWhileWaiting() {
        var waiters = Waiters()
        let id = waiters.reserve()
        _ = waiters.register(id, continuation: 7, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        #expect(waiters.cancel(id) == 7)
        #expect(waiters.cancel(id) == nil)
        #expect(waiters.roomFreed(count: 1) == [])
        #expect(waiters.expire(now: now + .seconds(60)) == [])
    }

    @Test("Cancelled after being woken: nothing happens")
    func cancelAfterWake() {
        var waiters = Waiters()
        let id = waiters.reserve()
        _ = waiters.register(id, continuation: 7, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        #expect(waiters.roomFreed(count: 1) == [7])
        #expect(waiters.cancel(id) == nil)
    }

    @Test("Deadlines expire only the waiters past them, and set the poll timeout")
    func expiry() {
        var waiters = Waiters()
        for (value, seconds) in [(1, 1), (2, 3), (3, 2)] {
            let id = waiters.reserve()
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(seconds), roomFreedSinceAttempt: false)
        }
        #expect(waiters.pollTimeoutMilliseconds(now: now) == 1001)
        #expect(waiters.expire(now: now + .milliseconds(500)) == [])
        #expect(waiters.expire(now: now + .milliseconds(2500)) == [1, 3])
        #expect(waiters.pollTimeoutMilliseconds(now: now + .milliseconds(2500)) == 501)
        #expect(waiters.expire(now: now + .seconds(3)) == [2])
        #expect(waiters.pollTimeoutMilliseconds(now: now) == -1)
    }

    @Test("Close resolves every waiter, and later registrations resolve as shutdown")
    func close() {
        var waiters = Waiters()
        for value in 0..<3 {
            let id = waiters.reserve()
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        }
        #expect(waiters.close() == [0, 1, 2])
        let late = waiters.reserve()
        #expect(waiters.register(late, continuation: 9, deadline: now + .seconds(5), roomFreedSinceAttempt: false) == .resume(.shutdown))
    }

    @Test("Many waiters woken in turns keep arrival order across compaction")
    func orderSurvivesCompaction() {
        var waiters = Waiters()
        for value in 0..<5000 {
            let id = waiters.reserve()
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        }
        var woken: [Int] = []
        while waiters.waitingCount > 0 { woken += waiters.roomFreed(count: 7) }
        #expect(woken == Array(0..<5000))
    }
}
