import Dispatch
import Foundation
import Testing

@testable import RdKafka

/// The gate "handle alive" is what keeps a late wake-up of the drain (or any other call) off a
/// destroyed handle: once closed, nobody gets in, and closing waits for those inside.
@Suite("SendGate")
struct SendGateTests {
    @Test("Once closed, the gate lets nobody in")
    func closedRefuses() {
        let gate = SendGate()
        #expect(gate.enter())
        gate.leave()
        gate.closeAndWaitForCallers()
        #expect(!gate.enter(), "a wake-up after the handle is gone must be refused")
        #expect(!gate.enter())
    }

    @Test("Closing waits until the caller inside has left")
    func closeWaitsForCaller() async {
        let gate = SendGate()
        #expect(gate.enter())
        let closed = DispatchSemaphore(value: 0)
        let closer = Thread {
            gate.closeAndWaitForCallers()
            closed.signal()
        }
        closer.start()
        // The closer must still be waiting: the caller has not left.
        #expect(closed.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        #expect(!gate.enter(), "closing has begun: new callers are refused while the old one finishes")
        gate.leave()
        #expect(closed.wait(timeout: .now() + 10) == .success)
    }
}
