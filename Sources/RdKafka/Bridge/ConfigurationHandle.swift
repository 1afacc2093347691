internal import CRdKafka

/// Owns one `rd_kafka_conf_t` until `rd_kafka_new` takes it over.
///
/// `@unchecked Sendable` is not claimed: a configuration handle lives on the creating thread only.
final class ConfigurationHandle {
    private(set) var pointer: OpaquePointer?

    init() {
        pointer = rd_kafka_conf_new()
    }

    deinit {
        if let pointer { rd_kafka_conf_destroy(pointer) }
    }

    /// Sets one key through librdkafka, which checks the key and the value.
    func set(_ key: String, _ value: String) throws(KafkaError) {
        guard let pointer else { preconditionFailure("configuration used after rd_kafka_new took it") }
        var reason = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &reason, reason.count)
        guard result == RD_KAFKA_CONF_OK else {
            throw KafkaError(
                code: .invalidConfiguration,
                message: Self.string(fromNulTerminated: reason),
                configurationKey: key
            )
        }
    }

    /// The current value of a key, or nil if librdkafka has none.
    func get(_ key: String) -> String? {
        guard let pointer else { return nil }
        var size = 0
        guard rd_kafka_conf_get(pointer, key, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(pointer, key, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return Self.string(fromNulTerminated: buffer)
    }

    /// Hands the configuration to `body` (for `rd_kafka_new`); on success librdkafka owns it.
    func consume<Result>(_ body: (OpaquePointer) -> Result?) -> Result? {
        guard let pointer else { preconditionFailure("configuration consumed twice") }
        let result = body(pointer)
        if result != nil { self.pointer = nil }
        return result
    }

    static func string(fromNulTerminated buffer: [CChar]) -> String {
        // Some of librdkafka's range errors end in a newline; a message for one log line must not.
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return String(text.reversed().drop { $0.isNewline }.reversed())
    }
}
