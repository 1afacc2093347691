import Logging

/// Transactions, for a producer configured with ``ProducerConfiguration/transactionalID``.
///
/// Records sent between ``beginTransaction()`` and ``commitTransaction(timeout:)`` become visible
/// to `read_committed` readers together, at the commit; after ``abortTransaction(timeout:)`` they
/// never do. A transactional producer accepts records only inside a transaction: a send outside
/// one fails at once with ``KafkaError/Code/state``.
///
/// ```swift
/// try await producer.initTransactions()
/// try await producer.withTransaction { (transaction: borrowing Transaction) in
///     _ = try await transaction.send(ProducerRecord(topic: "orders", key: "o-1", value: "paid"))
///     _ = try await transaction.send(ProducerRecord(topic: "ledger", key: "o-1", value: "+10"))
/// }
/// ```
///
/// Inside ``withTransaction(timeout:commitAttempts:isolation:_:)`` records go through a
/// ``Transaction``, which the compiler keeps from outliving the closure.
///
/// The calls that wait for the transaction coordinator (``initTransactions(timeout:)``,
/// ``commitTransaction(timeout:)``, ``abortTransaction(timeout:)``) block inside librdkafka, so
/// each runs on a dedicated thread while the calling task is suspended.
///
/// Errors carry librdkafka's verdict in three flags: ``KafkaError/isRetriable`` (the same call
/// may be made again, for example after a timeout), ``KafkaError/transactionRequiresAbort`` (the
/// transaction is lost and must be aborted; the producer goes on) and ``KafkaError/isFatal``
/// (the producer is fenced or broken and must be replaced).
extension KafkaProducer {
    /// Registers the producer's transactional id with its coordinator, finishing or aborting
    /// whatever an earlier producer with the same id left open and fencing that producer off.
    /// Call it once, before the first transaction.
    ///
    /// - Parameter timeout: How long to wait for the coordinator; a negative
    ///   one does not wait, one past `Int32.max` milliseconds waits that long.
    /// - Throws: ``KafkaError``: ``KafkaError/Code/notConfigured`` (naming `transactional.id`)
    ///   on a producer without a transactional id; a retriable error (the call may be repeated)
    ///   when the coordinator did not answer in time; a fatal one if the producer cannot go on.
    public func initTransactions(timeout: Duration = .seconds(60)) async throws {
        let milliseconds = timeout.librdkafkaTimeout
        try await core.runTransactionCall { $0.initTransactions(milliseconds: milliseconds) }
    }

    /// Starts a transaction: records sent from now until the commit or abort belong to it.
    ///
    /// - Throws: ``KafkaError`` at once: ``KafkaError/Code/state`` if a transaction is already
    ///   open or ``initTransactions(timeout:)`` has not succeeded, a fatal error if the producer
    ///   is fenced, ``KafkaError/Code/shutdown`` after shutdown.
    public func beginTransaction() throws {
        try core.runNonBlockingTransactionCall { $0.beginTransaction() }
    }

    /// Delivers every record of the open transaction, then commits it, making them visible to
    /// `read_committed` readers.
    ///
    /// - Parameter timeout: How long to wait for the records and the coordinator together; a negative
    ///   one does not wait, one past `Int32.max` milliseconds waits that long.
    /// - Throws: ``KafkaError``. If ``KafkaError/isRetriable`` (a timeout), the commit may still
    ///   be going on: call this again to wait for it. If ``KafkaError/transactionRequiresAbort``,
    ///   the transaction failed: call ``abortTransaction(timeout:)`` and send its records again
    ///   in a new transaction. If ``KafkaError/isFatal``, the producer must be replaced.
    public func commitTransaction(timeout: Duration = .seconds(60)) async throws {
        let milliseconds = timeout.librdkafkaTimeout
        try await core.runTransactionCall { $0.commitTransaction(milliseconds: milliseconds) }
    }

    /// Aborts the open transaction: records not yet sent are dropped (their senders get
    /// ``KafkaError/Code/purgedFromQueue``), and those already written stay invisible to
    /// `read_committed` readers.
    ///
    /// - Parameter timeout: How long to wait for the coordinator; a negative
    ///   one does not wait, one past `Int32.max` milliseconds waits that long.
    /// - Throws: ``KafkaError``; if ``KafkaError/isRetriable``, call it again.
    public func abortTransaction(timeout: Duration = .seconds(60)) async throws {
        let milliseconds = timeout.librdkafkaTimeout
        try await core.runTransactionCall { $0.abortTransaction(milliseconds: milliseconds) }
    }

    /// Runs `body` in a transaction: commits it when `body` returns, aborts it when `body` throws.
    ///
    /// Commit failures are handled as librdkafka classifies them: a retriable one (a timeout)
    /// makes another commit attempt, up to `commitAttempts` in all; one that requires an abort
    /// aborts the transaction and throws that error (with ``KafkaError/transactionRequiresAbort``
    /// set, so the caller knows nothing was committed and may run the transaction again); a fatal
    /// one is thrown as it is. Aborts are retried the same way.
    ///
    /// - Parameters:
    ///   - timeout: How long each commit or abort attempt may wait.
    ///   - commitAttempts: How many times a commit (or an abort) is attempted while it fails with
    ///     a retriable error.
    ///   - isolation: The caller's actor, which `body` runs on; filled in by the compiler.
    ///   - body: The transaction's work; it is lent the open ``Transaction`` to send with,
    ///     which cannot escape it (see ``Transaction``).
    /// - Returns: What `body` returned, once the transaction is committed.
    /// - Throws: The error `body` threw, after the abort succeeded; otherwise a ``KafkaError``
    ///   from beginning, committing or aborting. After a retriable commit error that used up the
    ///   attempts, the transaction may still commit: call ``commitTransaction(timeout:)`` again.
    public func withTransaction<Result>(
        timeout: Duration = .seconds(60),
        commitAttempts: Int = 3,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (borrowing Transaction) async throws -> Result
    ) async throws -> Result {
        try beginTransaction()
        let transaction = Transaction(producer: self)
        let result: Result
        do {
            result = try await body(transaction)
            transaction.end()
        } catch {
            transaction.end()
            try await finishTransaction(committing: false, timeout: timeout, attempts: commitAttempts, after: error)
            throw error
        }
        try await finishTransaction(committing: true, timeout: timeout, attempts: commitAttempts)
        return result
    }

    /// The transaction's ending: commits, or aborts after `cause`. An attempt that fails with a
    /// retriable error is made again, up to `attempts` in all. A commit that fails in a way that
    /// requires an abort is aborted (the same way) and its error thrown; an abort that fails for
    /// good is thrown instead of `cause`, since the transaction's state is then unknown.
    private func finishTransaction(
        committing: Bool, timeout: Duration, attempts: Int, after cause: (any Error)? = nil
    ) async throws(KafkaError) {
        let milliseconds = timeout.librdkafkaTimeout
        var attempt = 1
        while true {
            do {
                return try await core.runTransactionCall {
                    committing ? $0.commitTransaction(milliseconds: milliseconds) : $0.abortTransaction(milliseconds: milliseconds)
                }
            } catch {
                let call = committing ? "commitTransaction" : "abortTransaction"
                if error.isRetriable && !error.isFatal && attempt < attempts {
                    core.logger.warning(
                        "\(call) failed with a retriable error; \(committing ? "committing" : "aborting") again",
                        metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                    attempt += 1
                    continue
                }
                if committing {
                    if error.transactionRequiresAbort {
                        core.logger.warning("commitTransaction failed; aborting the transaction", metadata: ["error": "\(error)"])
                        try await finishTransaction(committing: false, timeout: timeout, attempts: attempts, after: error)
                    }
                    throw error
                }
                var failure = error
                if let cause { failure.message += " (aborting after: \(cause))" }
                throw failure
            }
        }
    }
}
