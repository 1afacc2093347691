import Foundation
internal import RdKafkaBridge

extension ProducerCore {
    /// Runs one transaction call on a thread of its own: `rd_kafka_init_transactions`,
    /// `_commit_transaction` and `_abort_transaction` block up to their timeout, which must not
    /// hold a thread of the cooperative pool. The send gate is held meanwhile, so shutdown
    /// cannot destroy the handle under the call.
    func runTransactionCall(_ call: @escaping @Sendable (ProducerClient) -> NativeError?) async throws(KafkaError) {
        guard gate.enter() else { throw .shutDown() }
        let client = self.client
        let gate = self.gate
        let failure = await withCheckedContinuation { (continuation: CheckedContinuation<KafkaError?, Never>) in
            Thread.detachNewThread {
                let failure = call(client).map(KafkaError.init)
                gate.leave()
                continuation.resume(returning: failure)
            }
        }
        if let failure { throw failure }
    }

    /// Runs a transaction call that returns at once, on the caller's thread.
    func runNonBlockingTransactionCall(_ call: (ProducerClient) -> NativeError?) throws(KafkaError) {
        guard gate.enter() else { throw .shutDown() }
        defer { gate.leave() }
        if let failure = call(client) { throw KafkaError(failure) }
    }
}
