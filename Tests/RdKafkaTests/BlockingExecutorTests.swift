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
        let release = DispatchSemaphore(value: 0)
        // The first job blocks until the second has run: on one serial thread this would hang.
        async let first: Bool = executor.run { release.wait(timeout: .now() + 20) == .success }
        let second: Void = await executor.run { release.signal() }
        _ = second
        #expect(await first, "the second job ran while the first was blocked")
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
