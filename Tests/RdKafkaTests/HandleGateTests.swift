import Dispatch
import Foundation
import TestSupport
import Testing

@testable import RdKafka

/// The gate "handle alive" is what keeps a late wake-up of the drain (or any other call) off a
/// destroyed handle: once closed, nobody gets in, and closing waits for those inside.
@Suite("HandleGate")
struct HandleGateTests {
    @Test("Once closed, the gate lets nobody in")
    func closedRefuses() {
        let gate = HandleGate()
        #expect(gate.enter())
        gate.leave()
        gate.closeAndWaitForCallers()
        #expect(!gate.enter(), "a wake-up after the handle is gone must be refused")
        #expect(!gate.enter())
    }

    @Test("Closing waits until the caller inside has left")
    func closeWaitsForCaller() async throws {
        let gate = HandleGate()
        #expect(gate.enter())
        let closed = DispatchSemaphore(value: 0)
        let closer = Thread {
            gate.closeAndWaitForCallers()
            closed.signal()
        }
        closer.start()
        // Closing has begun once a new caller is refused (until then, one that got in leaves
        // again); the old caller is still inside, so the closer must still be waiting.
        try await waitUntil(within: .seconds(10)) {
            guard gate.enter() else { return true }
            gate.leave()
            return false
        }
        #expect(closed.wait(timeout: .now()) == .timedOut, "closing returned while a caller was inside")
        gate.leave()
        #expect(closed.wait(timeout: .now() + 10) == .success)
    }
}
