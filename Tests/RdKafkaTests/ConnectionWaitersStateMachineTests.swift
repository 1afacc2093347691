import Testing

@testable import RdKafka

/// The connection-waiting state machine, fed events directly: continuations are numbers.
@Suite("ConnectionWaiters state machine")
struct ConnectionWaitersStateMachineTests {
    typealias Waiters = ConnectionWaiters.StateMachine<Int>
    let now = ContinuousClock.now

    func waiters(brokers: Int = 1) -> Waiters {
        Waiters(bootstrapBrokerCount: brokers, saslMechanism: "PLAIN")
    }

    @Test("The first waiter starts the prober; later ones join it")
    func oneProber() {
        var machine = waiters()
        let first = machine.reserve()
        guard case .wait(startProber: true) = machine.start(first, continuation: 1, deadline: now + .seconds(5), timeout: .seconds(5))
        else {
            Issue.record("the first waiter must start the prober")
            return
        }
        let second = machine.reserve()
        guard case .wait(startProber: false) = machine.start(second, continuation: 2, deadline: now + .seconds(5), timeout: .seconds(5))
        else {
            Issue.record("a second prober must not start")
            return
        }
        #expect(machine.waitingCount == 2)
    }

    @Test("Cancelled while waiting: the continuation is handed back at once, whatever the prober does")
    func cancelWhileWaiting() {
        var machine = waiters()
        let id = machine.reserve()
        _ = machine.start(id, continuation: 7, deadline: now + .seconds(10), timeout: .seconds(10))
        #expect(machine.cancel(id) == 7)
        #expect(machine.cancel(id) == nil)
        #expect(machine.probeFinished(failure: nil, now: now).isEmpty, "a later success resumes nobody")
        #expect(machine.nextProbe(now: now) == .stop, "the prober ends with nobody waiting")
    }

    @Test("Cancelled before starting: the start fails with cancelled")
    func cancelBeforeStart() {
        var machine = waiters()
        let id = machine.reserve()
        #expect(machine.cancel(id) == nil)
        guard case .fail(let error) = machine.start(id, continuation: 1, deadline: now + .seconds(5), timeout: .seconds(5)) else {
            Issue.record("expected an immediate failure")
            return
        }
        #expect(error.code == .cancelled)
        #expect(machine.waitingCount == 0)
    }

    @Test("Probes last at most 200 ms and at least 1 ms, and stop once nobody waits")
    func probeLengths() {
        var machine = waiters()
        #expect(machine.nextProbe(now: now) == .stop)
        let id = machine.reserve()
        _ = machine.start(id, continuation: 1, deadline: now + .seconds(10), timeout: .seconds(10))
        #expect(machine.nextProbe(now: now) == .probe(milliseconds: 200))
        #expect(machine.nextProbe(now: now + .milliseconds(9950)) == .probe(milliseconds: 51))
        #expect(machine.nextProbe(now: now + .seconds(11)) == .probe(milliseconds: 1))
        #expect(machine.probeFinished(failure: nil, now: now).map(\.0) == [1])
        #expect(machine.nextProbe(now: now) == .stop)
        #expect(!machine.isProbing)
        let next = machine.reserve()
        guard case .wait(startProber: true) = machine.start(next, continuation: 2, deadline: now + .seconds(1), timeout: .seconds(1)) else {
            Issue.record("after the prober stopped, the next waiter starts a new one")
            return
        }
    }

    @Test("A failed probe fails only the waiters past their deadline, explained by the last problem")
    func failedProbe() {
        var machine = waiters(brokers: 3)
        let short = machine.reserve()
        _ = machine.start(short, continuation: 1, deadline: now + .seconds(1), timeout: .seconds(1))
        let long = machine.reserve()
        _ = machine.start(long, continuation: 2, deadline: now + .seconds(9), timeout: .seconds(9))
        let timeout = KafkaError(code: .timedOut, message: "Local: Timed out")
        #expect(machine.probeFinished(failure: timeout, now: now).isEmpty)
        let failed = machine.probeFinished(failure: timeout, now: now + .seconds(2))
        #expect(failed.map(\.0) == [1])
        #expect(failed.first?.1?.message.contains("no broker answered within 1.0 seconds") == true)
        _ = machine.clientError(KafkaError(code: .transport, message: "127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed"))
        let later = machine.probeFinished(failure: timeout, now: now + .seconds(10))
        #expect(later.map(\.0) == [2])
        #expect(later.first?.1?.code == .transport, "the connection problem explains the timeout")
    }

    @Test("TLS and authentication errors fail every waiter at once; all-brokers-down alone does not")
    func errorEvents() {
        var machine = waiters(brokers: 2)
        for value in 1...2 {
            let id = machine.reserve()
            _ = machine.start(id, continuation: value, deadline: now + .seconds(10), timeout: .seconds(10))
        }
        #expect(machine.clientError(KafkaError(code: .allBrokersDown, message: "2/2 brokers are down")).isEmpty)
        #expect(machine.clientError(KafkaError(code: .transport, message: "a:1/bootstrap: Connection refused")).isEmpty)
        let failed = machine.clientError(KafkaError(code: .transport, message: "b:2/bootstrap: SSL handshake failed"))
        #expect(failed.map(\.0) == [1, 2])
        #expect(failed.first?.1.code == .ssl)
        let id = machine.reserve()
        _ = machine.start(id, continuation: 3, deadline: now + .seconds(10), timeout: .seconds(10))
        let refused = machine.clientError(KafkaError(code: .authentication, message: "SASL authentication error"))
        #expect(refused.first?.1.message.contains("sasl.mechanisms PLAIN") == true)
    }

    @Test("Every bootstrap broker refusing fails the waiters, naming how many there were")
    func everyBrokerRefused() {
        var machine = waiters(brokers: 2)
        let id = machine.reserve()
        _ = machine.start(id, continuation: 1, deadline: now + .seconds(10), timeout: .seconds(10))
        #expect(machine.clientError(KafkaError(code: .transport, message: "a:1/bootstrap: Connection refused")).isEmpty)
        #expect(
            machine.clientError(KafkaError(code: .transport, message: "a:1/bootstrap: Connection refused")).isEmpty, "the same broker twice"
        )
        let failed = machine.clientError(KafkaError(code: .transport, message: "b:2/bootstrap: Connection refused"))
        #expect(failed.first?.1.message.hasPrefix("none of the 2 bootstrap brokers could be reached") == true)
    }

    @Test("Behind one bootstrap address, a learned broker's failure fails nobody; the probe's answer decides")
    func learnedBrokerFailureBehindOneAddress() {
        var machine = waiters(brokers: 1)
        let id = machine.reserve()
        _ = machine.start(id, continuation: 1, deadline: now + .seconds(10), timeout: .seconds(10))
        let learned = KafkaError(code: .transport, message: "127.0.0.1:9093/2: Connect to ipv4#127.0.0.1:9093 failed: Connection refused")
        #expect(machine.clientError(learned).isEmpty, "broker 2 is one of many behind the address")
        let answered = machine.probeFinished(failure: nil, now: now)
        #expect(answered.map(\.0) == [1])
        #expect(answered.first?.1 == nil)
    }

    @Test("Once brokers were learned from metadata, bootstrap addresses failing no longer fail the waiters early")
    func bootstrapFailuresAfterMetadata() {
        var machine = waiters(brokers: 1)
        let first = machine.reserve()
        _ = machine.start(first, continuation: 1, deadline: now + .seconds(10), timeout: .seconds(10))
        #expect(machine.probeFinished(failure: nil, now: now).count == 1)
        let second = machine.reserve()
        _ = machine.start(second, continuation: 2, deadline: now + .seconds(10), timeout: .seconds(10))
        let bootstrap = KafkaError(code: .transport, message: "lb:9092/bootstrap: Connect to ipv4#10.0.0.1:9092 failed")
        #expect(machine.clientError(bootstrap).isEmpty)
        let late = machine.probeFinished(failure: KafkaError(code: .timedOut, message: "metadata timed out"), now: now + .seconds(11))
        #expect(late.first?.1?.code == .transport, "the timeout is explained by the connection problem")
    }

    @Test("Close resolves every waiter, and later ones fail with shutdown at once")
    func close() {
        var machine = waiters()
        for value in 1...3 {
            let id = machine.reserve()
            _ = machine.start(id, continuation: value, deadline: now + .seconds(10), timeout: .seconds(10))
        }
        #expect(machine.close() == [1, 2, 3])
        let late = machine.reserve()
        guard case .fail(let error) = machine.start(late, continuation: 4, deadline: now + .seconds(1), timeout: .seconds(1)) else {
            Issue.record("a waiter after close must fail at once")
            return
        }
        #expect(error.code == .shutdown)
    }
}
