internal import RdKafkaBridge

import struct Foundation.Date

extension KafkaError {
    /// Whether a record that failed may nevertheless have been written to its partition, as
    /// librdkafka judged it from what happened to the record's produce request.
    ///
    /// A record still in the local queue when it failed (purged, timed out before it was sent,
    /// refused at enqueue) was ``notPersisted``, and so was a send refused before librdkafka
    /// saw it: after shutdown began, from a cancelled task, by an interceptor's `onSend`. A record whose request reached a broker and
    /// got no clear answer (timed out in flight, purged in flight, a broker error such as
    /// `NOT_ENOUGH_REPLICAS_AFTER_APPEND` that comes after the write) was
    /// ``possiblyPersisted``: sending it again may write it twice.
    public struct Persistence: Sendable, Hashable, CustomStringConvertible {
        let rawValue: Int32

        init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// The record was certainly not written: sending it again cannot duplicate it.
        public static let notPersisted = Persistence(rawValue: NativePersistence.notPersisted)
        /// The record may or may not have been written: a broker may hold it even though
        /// it failed here.
        public static let possiblyPersisted = Persistence(rawValue: NativePersistence.possiblyPersisted)
        /// A broker has the record although librdkafka reported it failed. librdkafka uses it
        /// for acknowledged records; 2.0.2 never reports a failure so, later versions may.
        public static let persisted = Persistence(rawValue: NativePersistence.persisted)

        /// `notPersisted`, `possiblyPersisted` or `persisted`.
        public var description: String {
            switch self {
            case .notPersisted: "notPersisted"
            case .possiblyPersisted: "possiblyPersisted"
            case .persisted: "persisted"
            default: "persistence(\(rawValue))"
            }
        }
    }

    /// Whether the failed record can be sent again without risk of writing it twice: `true`
    /// only when it was certainly not written (``persistence`` is
    /// ``Persistence/notPersisted``). A retry loop that resends only such records never
    /// duplicates; the others need the consumer to tolerate duplicates, or idempotence.
    public var isSafeToResend: Bool {
        persistence == .notPersisted
    }

    /// The failed record as librdkafka held it: its topic, key, value, headers, timestamp (the
    /// one given, or the time it was enqueued) and the partition it had been given (`nil` if
    /// none was chosen yet), handed back from the delivery report so that a dead-letter queue
    /// or an outbox needs no copy of its own.
    ///
    /// Set on every record that failed after it was enqueued: awaited sends, records enqueued
    /// without awaiting (in ``KafkaProducer/deliveryReports``), and records purged by
    /// ``KafkaProducer/purge(queued:inFlight:)`` or at shutdown. `nil` for other errors, and
    /// for the rare record shutdown gave up on without librdkafka ever reporting it.
    ///
    /// Resending it as it is keeps it on the same partition; set its
    /// ``ProducerRecord/partition`` to `nil` to let the partitioner choose again.
    public var record: ProducerRecord? {
        get { returnedRecord?.record }
        set { returnedRecord = newValue.map(ReturnedRecord.init) }
    }

    /// The failed record of a delivery report, with its persistence.
    init(undelivered message: DeliveredMessage, code: Code, correlationID: UInt64?) {
        self.init(
            code: code,
            message: KafkaError.Code.describe(code),
            topic: message.topic,
            partition: message.partition >= 0 ? message.partition : nil,
            correlationID: correlationID
        )
        if code == .messageTimedOut { configurationKey = "message.timeout.ms" }
        guard let undelivered = message.undelivered else { return }
        persistence = Persistence(rawValue: undelivered.persistence)
        returnedRecord = ReturnedRecord(
            record: ProducerRecord(
                topic: message.topic,
                key: undelivered.key,
                value: undelivered.value,
                headers: undelivered.headers.map { ProducerRecord.Header(name: $0.name, value: $0.value) },
                partition: message.partition >= 0 ? message.partition : nil,
                timestamp: undelivered.timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
            ))
    }

    /// A copy of this error saying its record was never handed to librdkafka, so never written.
    func notPersisted() -> KafkaError {
        var copy = self
        copy.persistence = .notPersisted
        return copy
    }
}

/// A failed record behind a reference, so that an error without one (every error but a
/// delivery failure) stays as small as before.
final class ReturnedRecord: Sendable, Hashable {
    let record: ProducerRecord

    init(record: ProducerRecord) {
        self.record = record
    }

    static func == (lhs: ReturnedRecord, rhs: ReturnedRecord) -> Bool {
        lhs.record == rhs.record
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(record)
    }
}
