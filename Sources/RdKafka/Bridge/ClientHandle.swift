internal import CRdKafka
import Synchronization

/// Owns one producer `rd_kafka_t` and its main queue, destroyed exactly once by ``destroy()``.
///
/// `@unchecked Sendable`: librdkafka's handle is thread-safe for every call made through this
/// type; the only non-thread-safe operation, destruction, is guarded by `destroyed`.
final class ClientHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The queue delivery reports, errors, logs and statistics arrive on (`rd_kafka_queue_get_main`).
    let mainQueue: OpaquePointer
    private let destroyed = Atomic<Bool>(false)

    /// Creates a producer from `properties` with the event API on, so that reports arrive as
    /// events on ``mainQueue`` and logs never reach stderr.
    init(properties: [(key: String, value: String)], logLevel: Int32) throws(KafkaError) {
        let configuration = ConfigurationHandle()
        for (key, value) in properties {
            try configuration.set(key, value)
        }
        // Logs are queued (never written to stderr) until the log queue is set below.
        try configuration.set("log.queue", "true")
        if !properties.contains(where: { $0.key == "log_level" }) {
            try configuration.set("log_level", String(logLevel))
        }
        var reason = [CChar](repeating: 0, count: 512)
        let created: OpaquePointer? = configuration.consume { conf in
            rd_kafka_conf_set_events(
                conf,
                Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_STATS)
            )
            return rd_kafka_new(RD_KAFKA_PRODUCER, conf, &reason, reason.count)
        }
        guard let created else {
            let message = ConfigurationHandle.string(fromNulTerminated: reason)
            throw KafkaError(
                code: .invalidConfiguration,
                message: message,
                configurationKey: Self.keyNamed(in: message, among: properties.map(\.key))
            )
        }
        pointer = created
        mainQueue = rd_kafka_queue_get_main(created)
        rd_kafka_set_log_queue(created, mainQueue)
    }

    /// Destroys the queue reference and the handle; later calls do nothing.
    ///
    /// Blocks until librdkafka's threads have stopped: call it off the cooperative pool.
    func destroy() {
        guard !destroyed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        rd_kafka_queue_destroy(mainQueue)
        rd_kafka_destroy(pointer)
    }

    /// librdkafka's reasons for refusing a combination quote the key in backticks or quotes;
    /// find which of the given keys the reason names, so the error can name it too.
    private static func keyNamed(in message: String, among keys: [String]) -> String? {
        let candidates =
            keys + [
                "acks", "enable.idempotence", "max.in.flight", "retries", "linger.ms", "queue.buffering.max.ms", "message.timeout.ms",
                "request.timeout.ms", "batch.size", "transactional.id",
            ]
        return
            candidates
            .sorted { $0.count > $1.count }
            .first {
                message.contains("`\($0)`") || message.contains("\"\($0)\"") || message.contains("'\($0)'") || message.contains(" \($0) ")
            }
    }
}
