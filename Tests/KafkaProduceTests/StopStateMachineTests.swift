import Testing

@testable import kafka_produce

#if canImport(Glibc)
    import Glibc
#endif

/// The stop logic of kafka-produce: before sending, any request ends the process at once (there
/// is nothing to wait for); while sending, the first stops sending and sets the exit status, a
/// second signal ends the process at once, and a closed standard error never forces an exit
/// once records are out.
@Suite("kafka-produce: stop requests")
struct StopStateMachineTests {
    @Test("A signal before sending exits at once with 128 + its number")
    func signalBeforeSending() {
        var machine = StopStateMachine()
        #expect(machine.handle(.signal(SIGTERM)) == .exitNow(status: 143, reason: "SIGTERM before sending"))
        // The exit's own message failing to reach a closed standard error asks for nothing more.
        #expect(machine.handle(.standardErrorClosed) == .none)
        #expect(machine.handle(.signal(SIGINT)) == .none)
    }

    @Test("While sending: the first signal stops sending and sets the status, the second exits at once")
    func firstAndSecondSignal() {
        var machine = StopStateMachine()
        #expect(machine.handle(.sendingStarted) == .none)
        #expect(machine.exitStatus == nil)
        #expect(machine.handle(.signal(SIGINT)) == .stopSending(reason: "SIGINT"))
        #expect(machine.exitStatus == 130)
        #expect(machine.handle(.signal(SIGHUP)) == .exitNow(status: 129, reason: "second signal (SIGHUP)"))
    }

    @Test("A closed standard error while sending stops with 141; more failed writes change nothing")
    func standardErrorClosedWhileSending() {
        var machine = StopStateMachine()
        _ = machine.handle(.sendingStarted)
        #expect(machine.handle(.standardErrorClosed) == .stopSending(reason: "standard error closed"))
        #expect(machine.handle(.standardErrorClosed) == .none)
        #expect(machine.exitStatus == 128 + SIGPIPE)
        // A signal after it is a second request: the user wants out now.
        #expect(machine.handle(.signal(SIGTERM)) == .exitNow(status: 143, reason: "second signal (SIGTERM)"))
    }
}
