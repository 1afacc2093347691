extension SecurityConfiguration {
    /// Confluent Cloud: TLS with the system's trust roots and SASL/PLAIN with an API key.
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `sasl.mechanisms=PLAIN`,
    /// `sasl.username=<apiKey>`, `sasl.password=<apiSecret>`.
    public static func confluentCloud(apiKey: String, apiSecret: Secret) -> SecurityConfiguration {
        SecurityConfiguration(tls: TLSConfiguration(), sasl: .plain(username: apiKey, password: apiSecret))
    }

    /// AWS MSK with SASL/SCRAM (port 9096): TLS with the system's trust roots.
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `sasl.mechanisms=SCRAM-SHA-512`,
    /// `sasl.username`, `sasl.password`.
    public static func awsMSK(scramUsername: String, password: Secret) -> SecurityConfiguration {
        SecurityConfiguration(tls: TLSConfiguration(), sasl: .scramSHA512(username: scramUsername, password: password))
    }

    /// AWS MSK with IAM (port 9098): TLS and SASL/OAUTHBEARER with tokens from `tokenProvider`.
    /// The `RdKafkaAWS` product's `awsMSKIAM(region:credentials:tokenLifetime:)` signs them
    /// itself; this form is for tokens from your own code.
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `sasl.mechanisms=OAUTHBEARER`, and
    /// the token refresh event routed to `tokenProvider`.
    public static func awsMSK(tokenProvider: @escaping OAuthBearerTokenProvider) -> SecurityConfiguration {
        SecurityConfiguration(tls: TLSConfiguration(), sasl: .oauthBearer(tokenProvider))
    }

    /// Azure Event Hubs' Kafka endpoint (`<namespace>.servicebus.windows.net:9093`): TLS and
    /// SASL/PLAIN with the literal user name `$ConnectionString` and the connection string as
    /// the password.
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `sasl.mechanisms=PLAIN`,
    /// `sasl.username=$ConnectionString`, `sasl.password=<connectionString>`.
    public static func azureEventHubs(connectionString: Secret) -> SecurityConfiguration {
        SecurityConfiguration(tls: TLSConfiguration(), sasl: .plain(username: "$ConnectionString", password: connectionString))
    }

    /// Aiven with mutual TLS: the project's CA and the service's access certificate and key.
    ///
    /// librdkafka settings: `security.protocol=ssl`, `ssl.ca.location` (or `ssl.ca.pem`),
    /// `ssl.certificate.location`/`ssl.key.location` (or their `.pem` forms).
    public static func aiven(trustRoots: TLSConfiguration.TrustRoots, clientIdentity: TLSConfiguration.ClientIdentity)
        -> SecurityConfiguration
    {
        SecurityConfiguration(tls: TLSConfiguration(trustRoots: trustRoots, clientIdentity: clientIdentity))
    }

    /// Aiven with SASL/SCRAM: the project's CA and SCRAM-SHA-256 credentials.
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `ssl.ca.location` (or `ssl.ca.pem`),
    /// `sasl.mechanisms=SCRAM-SHA-256`, `sasl.username`, `sasl.password`.
    public static func aiven(trustRoots: TLSConfiguration.TrustRoots, scramUsername: String, password: Secret) -> SecurityConfiguration {
        SecurityConfiguration(
            tls: TLSConfiguration(trustRoots: trustRoots), sasl: .scramSHA256(username: scramUsername, password: password))
    }

    /// Redpanda Cloud: TLS with the system's trust roots and SASL/SCRAM (SHA-256 by default).
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `sasl.mechanisms=SCRAM-SHA-256` (or
    /// `SCRAM-SHA-512`), `sasl.username`, `sasl.password`.
    public static func redpanda(username: String, password: Secret, sha512: Bool = false) -> SecurityConfiguration {
        let sasl: SASLConfiguration =
            sha512 ? .scramSHA512(username: username, password: password) : .scramSHA256(username: username, password: password)
        return SecurityConfiguration(tls: TLSConfiguration(), sasl: sasl)
    }
}
