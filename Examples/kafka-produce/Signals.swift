import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the command does when asked to stop: by SIGINT, SIGTERM or SIGHUP, or by a standard
/// error whose reader has gone (the SIGPIPE case, SIGPIPE itself being ignored).
///
/// Records already handed to the producer are only lost if the process ends before their
/// outcomes come, so the first request stops reading input and lets the run end as it would
/// at the end of input: the flush (bounded by its timeout), then the summary with every
/// record's outcome, then the exit status of the signal (128 + its number). A second signal
/// ends the process at once, for a user who will not wait. Before sending has started there
/// is nothing to wait for, and any request ends the process at once.
///
/// The signals are taken by Dispatch sources on a queue of their own (their default action
/// ignored), so nothing runs in a signal handler.
final class StopRequest: Sendable {
    static let shared = StopRequest()

    /// The signals that ask the command to stop.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let machine = Mutex(StopStateMachine())
    /// Read by the sending loop once per record, so it is an atomic rather than the lock.
    private let stopped = Atomic(false)
    /// A pipe whose read end becomes readable once a stop is requested: the standard input
    /// reader polls it beside standard input, so a stop interrupts a read that would block.
    let wakeDescriptor: Int32
    private let wakeWriteDescriptor: Int32
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]
    private static let queue = DispatchQueue(label: "kafka-produce.signals")

    private init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) != 0 { descriptors = [-1, -1] }
        wakeDescriptor = descriptors[0]
        wakeWriteDescriptor = descriptors[1]
        sources = Self.signals.map { DispatchSource.makeSignalSource(signal: $0, queue: Self.queue) }
    }

    /// Whether sending should stop.
    var isRequested: Bool { stopped.load(ordering: .relaxed) }

    /// The exit status the stop asks for, or `nil` if none was requested.
    var exitStatus: Int32? { machine.withLock { $0.exitStatus } }

    /// Takes SIGINT, SIGTERM and SIGHUP from here on.
    func install() {
        for (signalNumber, source) in zip(Self.signals, sources) {
            _ = signal(signalNumber, SIG_IGN)
            source.setEventHandler { [self] in handle(.signal(signalNumber)) }
            source.resume()
        }
    }

    /// Notes that records are being handed to the producer: a stop must now wait for them.
    func sendingStarted() { handle(.sendingStarted) }

    /// Notes that standard error is a pipe without a reader.
    func standardErrorClosed() { handle(.standardErrorClosed) }

    private func handle(_ event: StopStateMachine.Event) {
        let action = machine.withLock { $0.handle(event) }
        switch action {
        case .none:
            break
        case .stopSending(let reason):
            stopped.store(true, ordering: .relaxed)
            var byte: UInt8 = 1
            _ = write(wakeWriteDescriptor, &byte, 1)
            printError(
                "\(reason): stopped reading; waiting for the outcome of every record sent "
                    + "(up to the flush timeout), then the summary. Signal again to exit at once")
        case .exitNow(let status, let reason):
            printError("\(reason): exiting at once; the outcomes of records not yet reported are unknown")
            _exit(status)
        }
    }
}

/// The stop logic as a value: events in, the action to take out, run outside the lock.
struct StopStateMachine {
    enum Event: Equatable {
        case sendingStarted
        case signal(Int32)
        case standardErrorClosed
    }

    enum Action: Equatable {
        case none
        /// Stop reading and sending, let the run end normally, exit with the status noted.
        case stopSending(reason: String)
        /// Nothing is worth waiting for: exit with `status` now.
        case exitNow(status: Int32, reason: String)
    }

    private enum State {
        case connecting
        case sending
        case stopping(exitStatus: Int32)
        /// Exiting at once: nothing more to do, even for the events the exit itself causes
        /// (its message failing to reach a closed standard error).
        case exiting
    }

    private var state = State.connecting

    var exitStatus: Int32? {
        if case .stopping(let status) = state { return status }
        return nil
    }

    mutating func handle(_ event: Event) -> Action {
        let action = transition(event)
        if case .exitNow = action { state = .exiting }
        return action
    }

    private mutating func transition(_ event: Event) -> Action {
        switch (state, event) {
        case (.connecting, .sendingStarted):
            state = .sending
            return .none
        case (.connecting, .signal(let number)):
            return .exitNow(status: 128 + number, reason: "\(Self.name(of: number)) before sending")
        case (.connecting, .standardErrorClosed):
            return .exitNow(status: 128 + SIGPIPE, reason: "standard error closed before sending")
        case (.sending, .signal(let number)):
            state = .stopping(exitStatus: 128 + number)
            return .stopSending(reason: Self.name(of: number))
        case (.sending, .standardErrorClosed):
            state = .stopping(exitStatus: 128 + SIGPIPE)
            return .stopSending(reason: "standard error closed")
        case (.stopping, .signal(let number)):
            return .exitNow(status: 128 + number, reason: "second signal (\(Self.name(of: number)))")
        case (.sending, .sendingStarted), (.stopping, .sendingStarted), (.stopping, .standardErrorClosed), (.exiting, _):
            return .none
        }
    }

    private static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}
