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
    func set(_ key: String, _ value: String) throws(NativeError) {
        guard let pointer else { preconditionFailure("configuration used after rd_kafka_new took it") }
        var reason = ReasonBuffer()
        let result = reason.withPointer { rd_kafka_conf_set(pointer, key, value, $0, $1) }
        guard result == RD_KAFKA_CONF_OK else {
            // "Unknown": the librdkafka loaded has no such key; for one a later release brought,
            // the refusal names that release.
            let message = result == RD_KAFKA_CONF_UNKNOWN ? NewerConfigurationKeys.refusal(of: key, reason: reason.text) : reason.text
            throw NativeError(code: NativeErrorCode.invalidConfiguration, message: message, configurationKey: key)
        }
    }

    /// The current value of a key, or nil if librdkafka has none.
    func get(_ key: String) -> String? {
        guard let pointer else { return nil }
        return Self.value(of: key, in: pointer)
    }

    /// The value of `key` in any librdkafka configuration (this one's, or a client's own from
    /// `rd_kafka_conf`), or nil if it has none.
    static func value(of key: String, in configuration: OpaquePointer) -> String? {
        var size = 0
        guard rd_kafka_conf_get(configuration, key, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(configuration, key, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return ReasonBuffer.string(fromNulTerminated: buffer)
    }

    /// Hands the configuration to `body` (for `rd_kafka_new`); on success librdkafka owns it.
    func consume<Result>(_ body: (OpaquePointer) -> Result?) -> Result? {
        guard let pointer else { preconditionFailure("configuration consumed twice") }
        let result = body(pointer)
        if result != nil { self.pointer = nil }
        return result
    }
}
