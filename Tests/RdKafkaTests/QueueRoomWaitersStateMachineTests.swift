import TestSupport
import Testing

@testable import RdKafka

/// The waiter state machine, fed events directly: continuations are stood in for by numbers.
@Suite("QueueRoomWaiters state machine")
struct QueueRoomWaitersStateMachineTests {
    typealias Waiters = QueueRoomWaiters.StateMachine<Int>
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

    @Test("A cancelled sole waiter leaves no stale deadline: the next waiter wakes a drain that sleeps without limit")
    func cancelledWaiterThenAnother() {
        var waiters = Waiters()
        let first = waiters.reserve()
        #expect(
            waiters.register(first, continuation: 1, deadline: now + .seconds(2), roomFreedSinceAttempt: false) == .wait(wakeDrain: true))
        #expect(waiters.pollTimeoutMilliseconds(now: now) == 2001)
        #expect(waiters.cancel(first) == 1)
        // The drain wakes for some other event and, with nobody waiting, sleeps without limit.
        #expect(waiters.pollTimeoutMilliseconds(now: now + .milliseconds(100)) == -1)
        let second = waiters.reserve()
        #expect(
            waiters.register(second, continuation: 2, deadline: now + .seconds(3), roomFreedSinceAttempt: false) == .wait(wakeDrain: true),
            "the drain must recompute its timeout, or this waiter outlives its deadline")
        #expect(waiters.pollTimeoutMilliseconds(now: now + .milliseconds(100)) == 2901)
        #expect(waiters.expire(now: now + .seconds(3)) == [2])
    }

    @Test("The poll timeout follows the earliest waiter still waiting after any waiter leaves")
    func earliestRecomputedWhenAnyWaiterLeaves() {
        var waiters = Waiters()
        var ids: [UInt64] = []
        for (value, seconds) in [(1, 1), (2, 5), (3, 3)] {
            let id = waiters.reserve()
            ids.append(id)
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(seconds), roomFreedSinceAttempt: false)
        }
        #expect(waiters.pollTimeoutMilliseconds(now: now) == 1001)
        #expect(waiters.cancel(ids[0]) == 1)
        #expect(waiters.pollTimeoutMilliseconds(now: now) == 3001, "cancelled")
        #expect(waiters.roomFreed(count: 1) == [2])
        #expect(waiters.pollTimeoutMilliseconds(now: now) == 3001, "woken")
        #expect(waiters.roomFreed(count: 1) == [3])
        #expect(waiters.pollTimeoutMilliseconds(now: now) == -1, "none left")
    }

    @Test("A registration later than the drain's next wake-up does not wake it; an earlier one does")
    func wakeOnlyWhenDrainSleepsPastTheDeadline() {
        var waiters = Waiters()
        let first = waiters.reserve()
        _ = waiters.register(first, continuation: 1, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        _ = waiters.pollTimeoutMilliseconds(now: now)
        let later = waiters.reserve()
        #expect(
            waiters.register(later, continuation: 2, deadline: now + .seconds(6), roomFreedSinceAttempt: false) == .wait(wakeDrain: false))
        let earlier = waiters.reserve()
        #expect(
            waiters.register(earlier, continuation: 3, deadline: now + .seconds(4), roomFreedSinceAttempt: false) == .wait(wakeDrain: true))
    }

    @Test("A woken waiter that does not use its turn hands it to the next waiter")
    func unusedTurnPassesOn() {
        var waiters = Waiters()
        for value in 0..<3 {
            let id = waiters.reserve()
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        }
        #expect(waiters.roomFreed(count: 1) == [0])
        // Waiter 0's retry failed for another reason than a full queue.
        #expect(waiters.turnUnused() == 1)
        #expect(waiters.waitingCount == 1)
        #expect(waiters.roomFreed(count: 1) == [2])
        #expect(waiters.turnUnused() == nil)
    }

    @Test("Cancelled waiters in the middle are skipped: freed room goes to waiters still waiting")
    func cancelledWaitersDoNotTakeRoom() {
        var waiters = Waiters()
        var ids: [UInt64] = []
        for value in 0..<4 {
            let id = waiters.reserve()
            ids.append(id)
            _ = waiters.register(id, continuation: value, deadline: now + .seconds(5), roomFreedSinceAttempt: false)
        }
        #expect(waiters.cancel(ids[0]) == 0)
        #expect(waiters.cancel(ids[2]) == 2)
        #expect(waiters.roomFreed(count: 2) == [1, 3])
    }

    @Test("A deadline decades away saturates the poll timeout instead of overflowing")
    func hugeDeadlineSaturates() {
        var waiters = Waiters()
        let id = waiters.reserve()
        _ = waiters.register(id, continuation: 1, deadline: now + .seconds(Int64.max / 2), roomFreedSinceAttempt: false)
        #expect(waiters.pollTimeoutMilliseconds(now: now) == Int32.max)
        #expect(Waiters.millisecondsPast(.seconds(Int64.max)) == Int32.max)
        #expect(Waiters.millisecondsPast(.milliseconds(Int64(Int32.max) - 1)) == Int32.max)
        #expect(Waiters.millisecondsPast(.nanoseconds(1)) == 1)
        #expect(Waiters.millisecondsPast(.zero) == 0)
        #expect(Waiters.millisecondsPast(.seconds(-5)) == 0)
    }

    @Test("Every waiter is resumed exactly once whatever the order of wake, cancel, expiry and close")
    func exactlyOnceUnderRandomEvents() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            var waiters = Waiters()
            var resumed: [Int: Int] = [:]
            var ids: [UInt64] = []
            func record(_ values: [Int]) { for value in values { resumed[value, default: 0] += 1 } }
            for step in 0..<60 {
                switch Int.random(in: 0..<6, using: &generator) {
                case 0, 1:
                    let id = waiters.reserve()
                    ids.append(id)
                    let deadline = now + .milliseconds(Int.random(in: 1...50, using: &generator))
                    if case .resume = waiters.register(id, continuation: Int(id), deadline: deadline, roomFreedSinceAttempt: false) {
                        record([Int(id)])
                    }
                case 2:
                    if let id = ids.randomElement(using: &generator), let value = waiters.cancel(id) { record([value]) }
                case 3: record(waiters.roomFreed(count: Int.random(in: 0...3, using: &generator)))
                case 4: record(waiters.expire(now: now + .milliseconds(step)))
                default: if let value = waiters.turnUnused() { record([value]) }
                }
            }
            record(waiters.close())
            #expect(resumed.count == ids.count, "every waiter resumed")
            #expect(resumed.values.allSatisfy { $0 == 1 }, "none twice")
            #expect(waiters.waitingCount == 0)
        }
    }

    @Test("The drain's poll timeout saturates for deadlines past Int64 seconds, where Duration.components traps")
    func pollTimeoutSaturatesPastInt64Seconds() {
        #expect(QueueRoomWaiters.StateMachine<Never>.millisecondsPast(.seconds(UInt64.max)) == Int32.max)
        #expect(QueueRoomWaiters.StateMachine<Never>.millisecondsPast(.seconds(Int64.max) * 2) == Int32.max)
        #expect(QueueRoomWaiters.StateMachine<Never>.millisecondsPast(.milliseconds(1500)) == 1501)
    }
}
