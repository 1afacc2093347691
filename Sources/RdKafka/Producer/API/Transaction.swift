import Synchronization

/// The open transaction of a ``KafkaProducer/withTransaction(timeout:commitAttempts:isolation:_:)``
/// call: the way to send inside it.
///
/// ```swift
/// try await producer.withTransaction { (transaction: borrowing Transaction) in
///     _ = try await transaction.send(ProducerRecord(topic: "orders", key: "o-1", value: "paid"))
///     _ = try await transaction.send(ProducerRecord(topic: "ledger", key: "o-1", value: "+10"))
/// }
/// ```
///
/// **Guarded by the compiler.** A transaction is non-copyable and lent to the closure
/// (`borrowing`), so it cannot outlive it: storing it in a variable or property, returning it,
/// passing it on to be kept, or capturing it in an escaping closure (a `Task`, a stored
/// callback) fails to compile, with diagnostics such as "'transaction' is borrowed and cannot
/// be consumed" or "cannot be captured by an escaping closure since it is a borrowed
/// parameter". A send through it therefore happens inside its transaction. Spell the
/// parameter's type as above: Swift 6.3 does not diagnose an escaping capture of a closure
/// parameter whose type it inferred (storing, returning and consuming are caught either way).
///
/// **Checked at run time too.** Should a transaction be used after its closure returned all
/// the same, its sends fail with ``KafkaError/Code/state`` rather than join a later
/// transaction. The check is made when a send starts: a send that had already started and
/// was still waiting for room in the local queue when the closure returned may be enqueued
/// later, into whatever transaction is open then. The producer's own send methods keep their run-time check: on a transactional
/// producer they fail with ``KafkaError/Code/state`` outside a transaction.
///
/// It cannot be shared between child tasks (a task group's closures escape); to send many
/// records at once, use ``send(contentsOf:)``.
///
/// Why not `~Escapable`: Swift 6.3 accepts a non-escapable type's initializer only with the
/// experimental `Lifetimes` feature, which a library built by its users should not require.
public struct Transaction: ~Copyable, Sendable {
    let producer: KafkaProducer
    let state: State

    /// Whether the transaction is still open; shared by nothing but its ``Transaction``.
    final class State: Sendable {
        let isOpen = Atomic(true)
    }

    init(producer: KafkaProducer) {
        self.producer = producer
        state = State()
    }

    /// Sends one record in the transaction and waits for the broker's acknowledgement, as
    /// ``KafkaProducer/send(_:)`` does.
    ///
    /// - Returns: Where the record was written; readers with `read_committed` see it once the
    ///   transaction commits.
    /// - Throws: What ``KafkaProducer/send(_:)`` throws, and ``KafkaError/Code/state`` once the
    ///   transaction has ended.
    public func send(_ record: ProducerRecord) async throws -> DeliveryReport {
        try checkOpen(record)
        return try await producer.send(record)
    }

    /// Sends many records in the transaction and waits until each has an outcome, as
    /// ``KafkaProducer/send(contentsOf:)`` does.
    ///
    /// - Returns: One result per record, in the order given; each is ``KafkaError/Code/state``
    ///   once the transaction has ended.
    public func send(contentsOf records: some Collection<ProducerRecord>) async -> [Result<DeliveryReport, KafkaError>] {
        guard state.isOpen.load(ordering: .acquiring) else {
            return records.map { .failure(Self.ended.about(topic: $0.topic, partition: $0.partition)) }
        }
        return await producer.send(contentsOf: records)
    }

    /// Enqueues a record in the transaction without waiting for its acknowledgement, as
    /// ``KafkaProducer/enqueue(_:correlationID:)`` does; the commit waits for it.
    ///
    /// - Throws: What ``KafkaProducer/enqueue(_:correlationID:)`` throws, and
    ///   ``KafkaError/Code/state`` once the transaction has ended.
    public func enqueue(_ record: ProducerRecord, correlationID: UInt64 = 0) async throws {
        try checkOpen(record)
        try await producer.enqueue(record, correlationID: correlationID)
    }

    /// Enqueues a record in the transaction without waiting at all, as
    /// ``KafkaProducer/tryEnqueue(_:correlationID:)`` does.
    ///
    /// - Throws: What ``KafkaProducer/tryEnqueue(_:correlationID:)`` throws, and
    ///   ``KafkaError/Code/state`` once the transaction has ended.
    public func tryEnqueue(_ record: ProducerRecord, correlationID: UInt64 = 0) throws {
        try checkOpen(record)
        try producer.tryEnqueue(record, correlationID: correlationID)
    }

    /// Commits a consumer group's offsets with the transaction, as
    /// ``KafkaProducer/sendOffsets(_:groupID:timeout:)`` does.
    ///
    /// - Throws: What ``KafkaProducer/sendOffsets(_:groupID:timeout:)`` throws, and
    ///   ``KafkaError/Code/state`` once the transaction has ended.
    public func sendOffsets(_ offsets: [ConsumerOffset], groupID: String, timeout: Duration = .seconds(60)) async throws {
        guard state.isOpen.load(ordering: .acquiring) else { throw Self.ended }
        try await producer.sendOffsets(offsets, groupID: groupID, timeout: timeout)
    }

    /// Marks the transaction ended, before its commit or abort starts.
    func end() {
        state.isOpen.store(false, ordering: .releasing)
    }

    private func checkOpen(_ record: ProducerRecord) throws(KafkaError) {
        guard state.isOpen.load(ordering: .acquiring) else { throw Self.ended.about(topic: record.topic, partition: record.partition) }
    }

    private static var ended: KafkaError {
        KafkaError(
            code: .state,
            message: "this transaction has ended; send through the transaction of the withTransaction call that is running")
    }
}
