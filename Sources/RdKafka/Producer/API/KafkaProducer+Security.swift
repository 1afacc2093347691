extension KafkaProducer {
    /// The security settings librdkafka applies to this producer's connections, read back from
    /// it when the producer was created: the protocol, SASL mechanism and user, trust roots and
    /// how strictly the broker's certificate is checked. Never a secret.
    public var effectiveSecurity: EffectiveSecurity {
        core.effectiveSecurity
    }
}
