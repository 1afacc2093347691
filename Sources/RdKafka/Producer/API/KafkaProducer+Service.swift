import ServiceLifecycle

extension KafkaProducer: Service {
    /// Runs the producer as a service of a `ServiceGroup`: waits until the group shuts down
    /// gracefully (or the task is cancelled), then shuts the producer down.
    ///
    /// Accepted records get ``ProducerConfiguration/gracefulShutdownTimeout`` to be acknowledged;
    /// those still outstanding then fail with ``KafkaError/Code/purgedFromQueue`` or
    /// ``KafkaError/Code/purgedInFlight``, and sends from then on with ``KafkaError/Code/shutdown``
    /// (see ``shutdown(flushTimeout:)``). Order the producer after the services that send with it
    /// in the group, so that it shuts down once they have stopped sending.
    ///
    /// - Throws: `CancellationError` when the task was cancelled rather than shut down
    ///   gracefully; the producer is shut down either way.
    public func run() async throws {
        let timeout = core.integrations.gracefulShutdownTimeout
        do {
            try await gracefulShutdown()
        } catch {
            await shutdown(flushTimeout: timeout)
            throw error
        }
        await shutdown(flushTimeout: timeout)
    }
}
