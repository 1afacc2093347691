// One configuration per managed service, as the README's "Connecting to managed clusters" shows
// them. Run it to see what each preset sets (secrets redacted):
//
//   swift run connecting
//
// Then, against your cluster, `try await producer.waitUntilConnected()` tells within seconds
// whether the address, certificates and credentials are right.
import Foundation
import RdKafka
import RdKafkaAWS

/// Confluent Cloud: an API key and secret.
func confluentCloud() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["pkc-xxxxx.us-east-1.aws.confluent.cloud:9092"])
    configuration.security = .confluentCloud(
        apiKey: "MY_API_KEY", apiSecret: Secret(ProcessInfo.processInfo.environment["CONFLUENT_API_SECRET"] ?? ""))
    return configuration
}

/// AWS MSK with SASL/SCRAM (port 9096).
func awsMSKWithSCRAM() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["b-1.mycluster.xxxxxx.kafka.us-east-1.amazonaws.com:9096"])
    configuration.security = .awsMSK(scramUsername: "alice", password: Secret(ProcessInfo.processInfo.environment["MSK_PASSWORD"] ?? ""))
    return configuration
}

/// AWS MSK with IAM (port 9098): tokens signed here (RdKafkaAWS) with the credentials the
/// environment, web identity, a profile or the container endpoint gives, re-signed when
/// librdkafka asks.
func awsMSKWithIAM() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["b-1.mycluster.xxxxxx.kafka.us-east-1.amazonaws.com:9098"])
    configuration.security = .awsMSKIAM(region: "us-east-1")
    return configuration
}

/// Azure Event Hubs (port 9093): the namespace's connection string is the password.
func azureEventHubs() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["mynamespace.servicebus.windows.net:9093"])
    configuration.security = .azureEventHubs(
        connectionString: Secret(ProcessInfo.processInfo.environment["EVENTHUBS_CONNECTION_STRING"] ?? ""))
    return configuration
}

/// Aiven with mutual TLS: the project CA and the service's access certificate and key.
func aiven() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["kafka-myproject.aivencloud.com:12345"])
    configuration.security = .aiven(
        trustRoots: .file("ca.pem"),
        clientIdentity: .files(certificate: "service.cert", key: "service.key")
    )
    return configuration
}

/// Redpanda Cloud: SASL/SCRAM-SHA-256 over TLS.
func redpanda() -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["seed-xxxx.redpanda.com:9092"])
    configuration.security = .redpanda(username: "alice", password: Secret(ProcessInfo.processInfo.environment["REDPANDA_PASSWORD"] ?? ""))
    return configuration
}

/// Your own cluster: a private CA given as PEM text, SCRAM-SHA-512.
func selfHosted(caPEM: String) -> ProducerConfiguration {
    var configuration = ProducerConfiguration(bootstrapServers: ["kafka-1.internal:9094"])
    configuration.security = SecurityConfiguration(
        tls: TLSConfiguration(trustRoots: .pem(caPEM)),
        sasl: .scramSHA512(username: "alice", password: Secret(ProcessInfo.processInfo.environment["KAFKA_PASSWORD"] ?? ""))
    )
    return configuration
}

for (name, configuration) in [
    ("Confluent Cloud", confluentCloud()), ("AWS MSK (SCRAM)", awsMSKWithSCRAM()),
    ("AWS MSK (IAM)", awsMSKWithIAM()), ("Azure Event Hubs", azureEventHubs()),
    ("Aiven (mTLS)", aiven()), ("Redpanda", redpanda()),
    ("self-hosted", selfHosted(caPEM: "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n")),
] {
    print("\(name): \(configuration.security)")
}
