/// The producer's life: running → draining → closed. A pure state machine, driven under the
/// producer's lock; its owner runs the closing sequence and resumes the callers it hands back.
///
/// Two gates follow it (atomics, so the send path takes no lock): "accepting sends" closes when
/// draining starts; "handle alive" closes only at the end of draining, just before the handle
/// is destroyed, so that flushing, token refreshes and metadata requests go on while the
/// accepted records are delivered.
struct ProducerLifecycle<Waiter> {
    enum State {
        case running
        /// Shutting down; the callers of `shutdown()` to resume when it is done.
        case draining(waiters: [Waiter])
        case closed
    }

    /// What a shutdown request asks of the caller.
    enum ShutdownAction: Equatable {
        /// The first request: run the closing sequence (the waiter, if any, is kept).
        case startClosing
        /// Shutdown is under way: the waiter is kept until it is done.
        case wait
        /// Already closed: resume the waiter now.
        case resume
    }

    private(set) var state = State.running

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    /// A shutdown request; `waiter` is `nil` for one that does not wait (a released producer).
    mutating func shutdownRequested(waiter: Waiter?) -> ShutdownAction {
        switch state {
        case .running:
            state = .draining(waiters: waiter.map { [$0] } ?? [])
            return .startClosing
        case .draining(var waiters):
            if let waiter { waiters.append(waiter) }
            state = .draining(waiters: waiters)
            return .wait
        case .closed:
            return .resume
        }
    }

    /// The closing sequence finished: the callers to resume.
    mutating func closed() -> [Waiter] {
        defer { state = .closed }
        if case .draining(let waiters) = state { return waiters }
        return []
    }
}
