internal import CRdKafka

/// librdkafka's transactional producer calls. Three of them block up to their timeout, so callers
/// run them on a thread of their own, never on the cooperative pool.
extension ProducerClient {
    /// Registers the transactional id with its coordinator and fences off older producers with
    /// the same id. Blocks up to `milliseconds`.
    package func initTransactions(milliseconds: Int32) -> NativeError? {
        Self.explain(rd_kafka_init_transactions(handle.pointer, milliseconds), call: "initTransactions")
    }

    /// Starts a transaction locally; does not block.
    package func beginTransaction() -> NativeError? {
        Self.explain(rd_kafka_begin_transaction(handle.pointer), call: "beginTransaction")
    }

    /// Flushes the transaction's records and commits it. Blocks up to `milliseconds`.
    package func commitTransaction(milliseconds: Int32) -> NativeError? {
        Self.explain(rd_kafka_commit_transaction(handle.pointer, milliseconds), call: "commitTransaction")
    }

    /// Purges the transaction's unsent records and aborts it. Blocks up to `milliseconds`.
    package func abortTransaction(milliseconds: Int32) -> NativeError? {
        Self.explain(rd_kafka_abort_transaction(handle.pointer, milliseconds), call: "abortTransaction")
    }

    /// The error of a transaction call (``sendOffsetsToTransaction(_:groupID:milliseconds:)``
    /// included), flags included, naming the call and, where the cause is the configuration,
    /// the key.
    static func explain(_ error: OpaquePointer?, call: String) -> NativeError? {
        guard let error else { return nil }
        var result = NativeError(consuming: error)
        result.message = "\(call): \(result.message)"
        if result.code == NativeErrorCode.notConfigured {
            result.message += " (transactions need ProducerConfiguration.transactionalID)"
            result.configurationKey = "transactional.id"
        }
        return result
    }
}
