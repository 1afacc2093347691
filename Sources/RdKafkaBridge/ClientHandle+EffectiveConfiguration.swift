internal import CRdKafka

extension ClientHandle {
    /// The value librdkafka applies for `key`, read back from the client's own configuration
    /// (`rd_kafka_conf`), or `nil` when it has none. Call it before ``destroy()``.
    package func effectiveValue(_ key: String) -> String? {
        guard let configuration = rd_kafka_conf(pointer) else { return nil }
        var size = 0
        guard rd_kafka_conf_get(configuration, key, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(configuration, key, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        let value = ReasonBuffer.string(fromNulTerminated: buffer)
        return value.isEmpty ? nil : value
    }
}
