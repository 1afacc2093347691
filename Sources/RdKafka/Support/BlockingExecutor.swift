import Dispatch
import Foundation

/// The one place blocking librdkafka calls run (flush, metadata, transactions, the closing
/// sequence): a small pool of dedicated threads, so that no such call ever holds a thread of
/// Swift's cooperative pool.
///
/// A job goes to an idle worker if there is one, else to a new thread: a call that blocks for
/// its whole timeout never delays another one. Workers idle for a few seconds, then end, so an
/// idle process keeps no thread for it.
final class BlockingExecutor: Sendable {
    typealias Job = @Sendable () -> Void

    /// The executor every producer shares.
    static let shared = BlockingExecutor()

    private final class Worker: Sendable {
        let wake = DispatchSemaphore(value: 0)
        /// Handed over by ``BlockingExecutor/execute(_:)`` before it signals `wake`.
        let job = LockedValue<Job?>(nil)
    }

    /// Workers waiting for a job, the most recently idle last.
    private let idle = LockedValue<[Worker]>([])
    private let idleLifetime: DispatchTimeInterval

    init(idleLifetime: DispatchTimeInterval = .seconds(5)) {
        self.idleLifetime = idleLifetime
    }

    /// Runs `job` on a worker thread, at once.
    func execute(_ job: @escaping Job) {
        if let worker = idle.withLock({ $0.popLast() }) {
            worker.job.withLock { $0 = job }
            worker.wake.signal()
        } else {
            let worker = Worker()
            let thread = Thread { [self] in work(worker, first: job) }
            thread.name = "rdkafka-blocking"
            thread.start()
        }
    }

    /// Runs `body` on a worker thread and suspends the calling task until it returns.
    func run<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            execute { continuation.resume(returning: body()) }
        }
    }

    private func work(_ worker: Worker, first: @escaping Job) {
        var next: Job? = first
        while let job = next {
            job()
            idle.withLock { $0.append(worker) }
            if worker.wake.wait(timeout: .now() + idleLifetime) == .timedOut {
                let stillIdle = idle.withLock { workers in
                    guard let index = workers.firstIndex(where: { $0 === worker }) else { return false }
                    workers.remove(at: index)
                    return true
                }
                if stillIdle { return }
                // Taken by `execute` as the timeout passed: its job is on the way.
                worker.wake.wait()
            }
            next = worker.job.withLock { job in
                defer { job = nil }
                return job
            }
        }
    }
}
