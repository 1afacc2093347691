internal import CRdKafka

extension ClientHandle {
    /// The value librdkafka applies for `key`, read back from the client's own configuration
    /// (`rd_kafka_conf`), or `nil` when it has none. Call it before ``destroy()``.
    package func effectiveValue(_ key: String) -> String? {
        guard let configuration = rd_kafka_conf(pointer),
            let value = ConfigurationHandle.value(of: key, in: configuration)
        else { return nil }
        return value.isEmpty ? nil : value
    }
}
