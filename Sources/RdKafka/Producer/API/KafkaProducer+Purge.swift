extension KafkaProducer {
    /// Fails records that librdkafka holds and has not yet had acknowledged, and returns how
    /// many it failed.
    ///
    /// Each purged record's sender learns of it as of any failure: an awaited
    /// ``send(_:)`` throws, a record enqueued with ``enqueue(_:correlationID:)`` gets a failed
    /// outcome in ``deliveryReports``. The ``KafkaError`` carries the record
    /// (``KafkaError/record``) and whether it may have been written
    /// (``KafkaError/persistence``):
    /// - queued records fail with ``KafkaError/Code/purgedFromQueue`` and were never sent, so
    ///   they are ``KafkaError/Persistence/notPersisted`` and safe to send again;
    /// - in-flight records fail with ``KafkaError/Code/purgedInFlight``: their request reached
    ///   a broker, whose answer is now ignored, so they are
    ///   ``KafkaError/Persistence/possiblyPersisted``.
    ///
    /// It returns once every purged record's sender has been told, so the count is exact:
    /// the records reported with a purge error because of this call. Concurrent purges run one
    /// after the other. A transaction abort or a shutdown that purges at the same moment is
    /// not held back: the records it purges are then counted too. Records sent after it returns are
    /// not affected; the producer stays usable. A send running at the same moment may or may
    /// not be purged, depending on whether librdkafka had its record when the purge began; a
    /// record counted in ``outstandingRecords`` had been accepted.
    ///
    /// - Parameters:
    ///   - queued: Purge the records still waiting in the local queue (and not yet in a request).
    ///   - inFlight: Purge the records in produce requests awaiting a broker's answer.
    /// - Returns: How many records were purged; 0 when neither kind is asked for.
    /// - Throws: ``KafkaError/Code/shutdown`` once shutdown has released librdkafka.
    @discardableResult
    public func purge(queued: Bool = true, inFlight: Bool = false) async throws -> Int {
        try await core.purge(queued: queued, inFlight: inFlight)
    }
}
