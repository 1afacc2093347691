internal import RdKafkaBridge

extension ProducerCore {
    /// Purges librdkafka's queues and counts the records it failed: the reports that came back
    /// with a purge error between the purge and the moment the drain had handled every report
    /// queued by it. Purges are serialised so that one never counts another's records.
    func purge(queued: Bool, inFlight: Bool) async throws(KafkaError) -> Int {
        guard queued || inFlight else { return 0 }
        let result = try await runBlocking { [self] client -> Result<Int, KafkaError> in
            purging.withLock { _ in
                let before = self.inFlight.purgedReports
                if let refusal = client.purge(queued: queued, inFlight: inFlight) {
                    return .failure(KafkaError(refusal))
                }
                // Blocking rd_kafka_purge has queued every purged record's report on return;
                // wait until the drain has handed them to their senders.
                waitUntilDrainCaughtUp()
                return .success(self.inFlight.purgedReports - before)
            }
        }
        return try result.get()
    }
}
