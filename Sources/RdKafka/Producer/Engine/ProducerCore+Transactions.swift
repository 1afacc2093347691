internal import RdKafkaBridge

extension ProducerCore {
    /// Runs one transaction call on the blocking executor: `rd_kafka_init_transactions`,
    /// `_commit_transaction` and `_abort_transaction` block up to their timeout, which must not
    /// hold a thread of the cooperative pool.
    func runTransactionCall(_ call: @escaping @Sendable (ProducerClient) -> NativeError?) async throws(KafkaError) {
        // A commit flushes and an abort purges: their reports are handed to the senders before
        // the call returns, as after ``flush(timeout:)``.
        let failure = try await runBlocking { [self] client -> NativeError? in
            guard let failure = call(client) else {
                waitUntilDrainCaughtUp()
                return nil
            }
            return failure
        }
        if let failure { throw KafkaError(failure) }
    }

    /// Runs a transaction call that returns at once, on the caller's thread.
    func runNonBlockingTransactionCall(_ call: (ProducerClient) -> NativeError?) throws(KafkaError) {
        guard handleAlive.enter() else { throw .shutDown() }
        defer { handleAlive.leave() }
        if let failure = call(client) { throw KafkaError(failure) }
    }
}
