import Foundation
import TestSupport

/// The tansu instance scripts/broker/start reserves for fault tests: its address, its current
/// process id (which changes on restart) and scripts/broker/fault-broker to kill and start it.
struct FaultBroker {
    let address: String
    let pidFile: String
    let control: String

    static let current: FaultBroker? = {
        let environment = ProcessInfo.processInfo.environment
        guard let address = environment["RDKAFKA_TEST_BROKER_FAULT"], let pidFile = environment["RDKAFKA_TEST_BROKER_FAULT_PID_FILE"],
            let control = environment["RDKAFKA_TEST_BROKER_FAULT_CONTROL"]
        else { return nil }
        return FaultBroker(address: address, pidFile: pidFile, control: control)
    }()

    static var isUsable: Bool { BrokerEnvironment.isUsable && current != nil }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func processID() throws -> pid_t {
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text), pid > 0 else { throw Failure(description: "no process id in \(pidFile): '\(text)'") }
        return pid
    }

    /// Freezes the broker (SIGSTOP): connections stay open, nothing is answered.
    func pause() throws { try signal(SIGSTOP) }

    /// Lets a frozen broker go on (SIGCONT).
    func resume() throws { try signal(SIGCONT) }

    private func signal(_ signal: Int32) throws {
        let pid = try processID()
        guard kill(pid, signal) == 0 else { throw Failure(description: "kill(\(pid), \(signal)) failed: errno \(errno)") }
    }

    /// Runs `fault-broker kill` or `fault-broker start`, waiting for it to finish.
    func run(_ command: String) async throws {
        let outcome = try await ChildProcess.run(control, [command])
        guard outcome.status == 0 else {
            throw Failure(
                description: "fault-broker \(command) exited with \(outcome.status): \(String(decoding: outcome.errors, as: UTF8.self))")
        }
    }
}
