extension ProducerConfiguration {
    /// Keys the producer sets itself because its delivery path depends on them.
    static let managedKeys: Set<String> = ["delivery.report.only.error", "log.queue", "enabled_events"]

    /// The librdkafka settings this configuration stands for, in the order they are applied.
    ///
    /// Throws for what librdkafka cannot see: contradictions between typed settings and keys the
    /// producer manages. librdkafka checks every value when they are applied.
    func librdkafkaProperties() throws(KafkaError) -> [(key: String, value: String)] {
        try checkConsistency()
        var properties: [(key: String, value: String)] = [
            ("bootstrap.servers", bootstrapServers.joined(separator: ",")),
            ("client.id", clientID),
            ("enable.idempotence", isIdempotent ? "true" : "false"),
        ]
        func add(_ key: String, _ value: String?) {
            if let value { properties.append((key, value)) }
        }
        add("transactional.id", transactionalID)
        add("transaction.timeout.ms", transactionTimeout.map(Self.milliseconds))
        add("acks", acks.map { String($0.rawValue) })
        add("compression.codec", compression?.rawValue)
        add("compression.level", compressionLevel.map(String.init))
        add("linger.ms", linger.map(Self.milliseconds))
        add("batch.size", batchSize.map(String.init))
        add("batch.num.messages", batchMaxRecords.map(String.init))
        add("queue.buffering.max.messages", queueMaxRecords.map(String.init))
        add("queue.buffering.max.kbytes", queueMaxKilobytes.map(String.init))
        add("message.max.bytes", messageMaxBytes.map(String.init))
        add("message.timeout.ms", deliveryTimeout.map(Self.milliseconds))
        add("request.timeout.ms", requestTimeout.map(Self.milliseconds))
        add("retries", retries.map(String.init))
        add("retry.backoff.ms", retryBackoff.map(Self.milliseconds))
        add("max.in.flight", maxInFlightRequestsPerConnection.map(String.init))
        add("partitioner", partitioner?.librdkafkaName)
        add("sticky.partitioning.linger.ms", stickyPartitioningLinger.map(Self.milliseconds))
        add("statistics.interval.ms", (statisticsInterval ?? (metrics == nil ? nil : .seconds(5))).map(Self.milliseconds))
        properties += try security.librdkafkaProperties()
        for key in additionalProperties.keys.sorted() {
            properties.append((key, additionalProperties[key]!))
        }
        // librdkafka reads C strings: a NUL would silently cut a password or a path short.
        if let cut = properties.first(where: { $0.key.contains("\0") || $0.value.contains("\0") }) {
            throw KafkaError(
                code: .invalidConfiguration, message: "the value of '\(cut.key)' contains a NUL character, which would cut it short",
                configurationKey: cut.key)
        }
        return properties
    }

    private func checkConsistency() throws(KafkaError) {
        func refuse(_ key: String, _ message: String) -> KafkaError {
            KafkaError(code: .invalidConfiguration, message: message, configurationKey: key)
        }
        try BootstrapAddress.check(bootstrapServers)
        if let key = additionalProperties.keys.first(where: Self.managedKeys.contains) {
            throw refuse(key, "'\(key)' is managed by the producer: awaited sends depend on it")
        }
        for key in additionalProperties.keys.sorted() {
            if let refusal = SecurityConfiguration.refusal(ofAdditional: key, value: additionalProperties[key]!) {
                throw refuse(key, refusal)
            }
        }
        if case .oauthBearerAzureIMDS? = security.sasl?.mechanism,
            let key = additionalProperties.keys.first(where: {
                $0.lowercased().replacing("_", with: ".") == "sasl.oauthbearer.config"
            })
        {
            throw refuse(key, "'\(key)' carries the query of SASLConfiguration.oauthBearerOIDC(azureIMDS:): set it there instead")
        }
        // librdkafka takes any acks from -1 to 1000, but brokers accept only these.
        for key in ["acks", "request.required.acks"] {
            if let value = additionalProperties[key], !["all", "-1", "0", "1"].contains(value) {
                throw refuse(key, "'\(value)' is not a valid acks value: use 0 (none), 1 (leader) or all (-1)")
            }
        }
        try checkTransactionalConsistency(refuse)
        if isIdempotent {
            let reason = enableIdempotence ? "idempotence" : "transactional.id (which implies idempotence)"
            if let acks, acks != .all {
                throw refuse("acks", "\(reason) requires acks=all, but acks is \(acks)")
            }
            if let inFlight = maxInFlightRequestsPerConnection, inFlight > 5 {
                throw refuse("max.in.flight", "\(reason) requires at most 5 in-flight requests per connection, but it is \(inFlight)")
            }
            if let retries, retries == 0 {
                throw refuse("retries", "\(reason) requires retries above 0")
            }
        }
        if enqueueTimeout < .zero {
            throw refuse("enqueueTimeout", "the enqueue timeout must not be negative, but it is \(enqueueTimeout)")
        }
        if deliveryReportBufferSize < 1 {
            throw refuse(
                "deliveryReportBufferSize", "the delivery report buffer must hold at least 1 report, but it is \(deliveryReportBufferSize)")
        }
    }

    /// Whether librdkafka is asked for idempotence: asked for, or implied by a transactional id.
    private var isIdempotent: Bool {
        enableIdempotence || transactionalID != nil
    }

    private func checkTransactionalConsistency(_ refuse: (String, String) -> KafkaError) throws(KafkaError) {
        guard let transactionalID else {
            if let transactionTimeout {
                throw refuse("transaction.timeout.ms", "a transaction timeout (\(transactionTimeout)) needs a transactionalID")
            }
            return
        }
        if transactionalID.isEmpty {
            throw refuse("transactional.id", "the transactional id is empty; use nil for a producer without transactions")
        }
        if let idempotence = additionalProperties["enable.idempotence"], ["false", "0"].contains(idempotence) {
            throw refuse(
                "enable.idempotence", "transactional.id requires idempotence, but additionalProperties turns enable.idempotence off")
        }
    }

    /// A duration as the value of a librdkafka `*.ms` key (``Duration/roundedUpMilliseconds``).
    static func milliseconds(_ duration: Duration) -> String {
        String(duration.roundedUpMilliseconds)
    }
}
