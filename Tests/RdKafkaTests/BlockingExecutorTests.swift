import Dispatch
import Synchronization
import Testing

@testable import RdKafka

@Suite("BlockingExecutor")
struct BlockingExecutorTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test("A job blocked for its whole timeout never delays another one")
    func blockedJobDoesNotDelayOthers() async {
        let executor = BlockingExecutor(idleLifetime: .milliseconds(200))
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // The first job blocks until the second has run, and the second runs only once the first
        // has started: on one serial thread, whichever order, one of them times out.
        async let first: Bool = executor.run {
            started.signal()
            return release.wait(timeout: .now() + 20) == .success
        }
        let second: Bool = await executor.run {
            guard started.wait(timeout: .now() + 20) == .success else { return false }
            release.signal()
            return true
        }
        #expect(second, "the second job ran while the first was blocked")
        #expect(await first, "the first job was released by the second")
    }

    @Test("Idle workers are reused, and every job runs exactly once")
    func everyJobRunsOnce() async {
        let executor = BlockingExecutor(idleLifetime: .seconds(1))
        let runs = Counter()
        for _ in 0..<50 {
            await executor.run { _ = runs.value.add(1, ordering: .relaxed) }
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { () async -> Void in await executor.run { _ = runs.value.add(1, ordering: .relaxed) } } }
        }
        #expect(runs.value.load(ordering: .relaxed) == 100)
    }
}
