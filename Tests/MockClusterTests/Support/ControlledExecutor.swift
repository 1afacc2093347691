import Dispatch
import Synchronization

@testable import RdKafka

/// A task executor whose jobs the test can hold back: a task that prefers it runs on a private
/// serial queue, and while `holding` its resumed jobs wait until ``release()``. So a test can
/// put a precise moment between "the task was woken" and "the task ran again", which no
/// scheduling on the shared pool would give it reliably.
final class ControlledExecutor: TaskExecutor {
    private struct State {
        var holding = false
        var held: [UnownedJob] = []
        var finished = 0
    }

    private let queue = DispatchQueue(label: "controlled-executor")
    /// A pthread mutex (LockedValue), which ThreadSanitizer can follow, unlike `Mutex`.
    private let state = LockedValue(State())

    func enqueue(_ job: UnownedJob) {
        let held = state.withLock { state in
            if state.holding { state.held.append(job) }
            return state.holding
        }
        if !held { run(job) }
    }

    /// Jobs run to completion so far: a task's first job ends when it first suspends.
    var finishedJobs: Int { state.withLock { $0.finished } }
    /// Jobs waiting for ``release()``.
    var heldJobs: Int { state.withLock { $0.held.count } }

    /// From now on, jobs wait for ``release()``.
    func hold() {
        state.withLock { $0.holding = true }
    }

    /// Runs the held jobs and stops holding.
    func release() {
        let jobs = state.withLock { state in
            defer {
                state.holding = false
                state.held = []
            }
            return state.held
        }
        for job in jobs { run(job) }
    }

    private func run(_ job: UnownedJob) {
        let executor = asUnownedTaskExecutor()
        queue.async { [self] in
            job.runSynchronously(on: executor)
            state.withLock { $0.finished += 1 }
        }
    }
}
