internal import CRdKafka
import Synchronization

/// Owns one producer `rd_kafka_t` and its main queue, destroyed exactly once by ``destroy()``.
///
/// `@unchecked Sendable`: librdkafka's handle is thread-safe for every call made through this
/// type; the only non-thread-safe operation, destruction, is guarded by `destroyed`.
package final class ClientHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The queue delivery reports, errors, logs and statistics arrive on (`rd_kafka_queue_get_main`).
    let mainQueue: OpaquePointer
    private let destroyed = Atomic<Bool>(false)

    /// Creates a producer from `properties` with the event API on, so that reports arrive as
    /// events on ``mainQueue`` and logs never reach stderr.
    /// - Parameters:
    ///   - requiredFeatures: `builtin.features` entries the settings need; a library built
    ///     without one is refused here, naming it, rather than failing at connection time.
    ///   - tokenRefreshEvents: Deliver OAUTHBEARER token refresh requests as events.
    package init(
        properties: [(key: String, value: String)],
        logLevel: Int32,
        requiredFeatures: [String] = [],
        tokenRefreshEvents: Bool = false
    ) throws(NativeError) {
        let configuration = ConfigurationHandle()
        // The keys a later release brought go first, so that a library without one is refused
        // naming the release before a missing feature is named (the OIDC forms need both).
        for (key, value) in properties where NewerConfigurationKeys.introduction(of: key) != nil {
            try configuration.set(key, value)
        }
        let available = Set(configuration.get("builtin.features")?.split(separator: ",").map(String.init) ?? [])
        if let missing = requiredFeatures.first(where: { !available.contains($0) }) {
            throw NativeError(
                code: NativeErrorCode.invalidConfiguration,
                message:
                    "the linked librdkafka \(NativeLibrary.version) was built without '\(missing)' (builtin.features: \(available.sorted().joined(separator: ",")))",
                configurationKey: missing.hasPrefix("sasl") || missing == "oidc" ? "sasl.mechanisms" : "security.protocol"
            )
        }
        for (key, value) in properties {
            try configuration.set(key, value)
        }
        // Logs are queued (never written to stderr) until the log queue is set below.
        try configuration.set("log.queue", "true")
        if !properties.contains(where: { $0.key == "log_level" }) {
            try configuration.set("log_level", String(logLevel))
        }
        var reason = ReasonBuffer()
        let created: OpaquePointer? = configuration.consume { conf in
            var events = RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_STATS
            if tokenRefreshEvents { events |= RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH }
            TLSVerificationFailures.install(on: conf, properties: properties)
            rd_kafka_conf_set_events(conf, Int32(events))
            return reason.withPointer { rd_kafka_new(RD_KAFKA_PRODUCER, conf, $0, $1) }
        }
        guard let created else {
            let message = reason.text
            throw NativeError(
                code: NativeErrorCode.invalidConfiguration,
                message: TLSKeyFailures.explain(message, properties: properties),
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
        TLSVerificationFailures.forget(pointer)
    }

    /// librdkafka's reasons for refusing a setting mention the key (quoted, or followed by a
    /// colon); find which of the applied keys the reason names, so the error can name it too.
    private static func keyNamed(in message: String, among keys: [String]) -> String? {
        let candidates = keys + ["acks", "enable.idempotence", "max.in.flight", "retries", "linger.ms", "transactional.id"]
        let keyCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
        func mentions(_ key: String) -> Bool {
            var searchStart = message.startIndex
            while let range = message.range(of: key, range: searchStart..<message.endIndex) {
                let before = range.lowerBound == message.startIndex ? nil : message[message.index(before: range.lowerBound)]
                let after = range.upperBound == message.endIndex ? nil : message[range.upperBound]
                if !(before.map(keyCharacters.contains) ?? false) && !(after.map(keyCharacters.contains) ?? false) { return true }
                searchStart = range.upperBound
            }
            return false
        }
        return candidates.sorted { $0.count > $1.count }.first(where: mentions)
    }
}
