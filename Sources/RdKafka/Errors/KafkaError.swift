/// An error from the producer: a librdkafka error, a broker error, or one of this package's own.
///
/// Every error names what it is about where that is known: the configuration key for a setting
/// librdkafka refused, the topic and partition for a record that could not be delivered, and the
/// correlation identifier for a record enqueued with ``KafkaProducer/enqueue(_:correlationID:)``.
///
/// ```swift
/// do {
///     _ = try await producer.send(record)
/// } catch let error as KafkaError where error.isRetriable {
///     // a transient condition: sending the record again may succeed
/// }
/// ```
public struct KafkaError: Error, Sendable, Hashable {
    /// What went wrong, as librdkafka's or the broker's error code, or one of this package's.
    public var code: Code
    /// A human-readable explanation: librdkafka's own text where it gave one, never a secret.
    public var message: String
    /// Whether the same operation may succeed if tried again (a timeout, a leader change, a full queue).
    public var isRetriable: Bool
    /// Whether the producer cannot go on: after a fatal error every later send fails too.
    public var isFatal: Bool
    /// Whether the current transaction cannot be committed any more and must be aborted with
    /// ``KafkaProducer/abortTransaction(timeout:)`` before the producer can begin another; the
    /// producer itself stays usable. Set only by the transaction calls.
    public var transactionRequiresAbort: Bool = false
    /// The configuration key the error is about, if it is about one.
    public var configurationKey: String?
    /// The topic of the record the error is about, if it is about a record.
    public var topic: String?
    /// The partition of the record the error is about, when it was known.
    public var partition: Int32?
    /// The caller's correlation identifier of the record, for records enqueued without awaiting.
    public var correlationID: UInt64?
    /// For an error about one record: whether that record may nevertheless have been written
    /// (see ``isSafeToResend``); `nil` for errors not about one record's delivery.
    public var persistence: Persistence?
    /// The failed record handed back (see ``record``).
    var returnedRecord: ReturnedRecord?

    /// Creates an error; the flags default to what is known of `code`.
    public init(
        code: Code,
        message: String,
        isRetriable: Bool? = nil,
        isFatal: Bool = false,
        configurationKey: String? = nil,
        topic: String? = nil,
        partition: Int32? = nil,
        correlationID: UInt64? = nil
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable ?? code.isRetriableByDefault
        self.isFatal = isFatal
        self.configurationKey = configurationKey
        self.topic = topic
        self.partition = partition
        self.correlationID = correlationID
    }
}

extension KafkaError: CustomStringConvertible {
    /// The code's name, the message, and whatever context is known, on one line.
    public var description: String {
        var text = "KafkaError.\(code.name): \(message)"
        var context: [String] = []
        if let configurationKey { context.append("key \(configurationKey)") }
        if let topic { context.append("topic \(topic)") }
        if let partition, partition >= 0 { context.append("partition \(partition)") }
        if let correlationID { context.append("correlation \(correlationID)") }
        if let persistence { context.append("\(persistence)") }
        if isFatal { context.append("fatal") }
        if transactionRequiresAbort { context.append("transaction requires abort") }
        if !context.isEmpty { text += " [" + context.joined(separator: ", ") + "]" }
        return text
    }
}

extension KafkaError {
    /// The error a call throws once ``KafkaProducer/shutdown()`` has begun.
    static func shutDown() -> KafkaError {
        KafkaError(code: .shutdown, message: "the producer has been shut down; no record can be sent")
    }

    /// The error for a task cancelled before its record was enqueued.
    static func cancelled() -> KafkaError {
        KafkaError(code: .cancelled, message: "the task was cancelled before the record was enqueued; it was not sent")
    }

    /// ``cancelled()`` naming `record`, which was not sent.
    static func cancelled(before record: ProducerRecord, correlationID: UInt64? = nil) -> KafkaError {
        cancelled().notPersisted().about(topic: record.topic, partition: record.partition, correlationID: correlationID)
    }

    /// A copy of this error that names the record it is about.
    func about(topic: String?, partition: Int32?, correlationID: UInt64? = nil) -> KafkaError {
        var copy = self
        copy.topic = topic ?? copy.topic
        copy.partition = partition ?? copy.partition
        copy.correlationID = correlationID ?? copy.correlationID
        return copy
    }
}
