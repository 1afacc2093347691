import Foundation
import RdKafka
import RdKafkaAWS
import Testing

/// What a producer with the preset reports when no token can be signed: the signer's or the
/// credential chain's reason, as a typed authentication error from waitUntilConnected. On
/// librdkafka's mock cluster, which has no SASL, so only the provider's own failure is seen.
@Suite("MSK IAM preset: failures reach waitUntilConnected", .timeLimit(.minutes(1)))
struct ProducerReportingTests {
    func waitError(_ security: SecurityConfiguration) async throws -> KafkaError {
        let cluster = try MockCluster(brokers: 1)
        var security = security
        // The mock cluster speaks no TLS; the token refresh runs all the same.
        security.tls = nil
        var configuration = ProducerConfiguration(bootstrapServers: [cluster.bootstrapServers])
        configuration.security = security
        let producer = try KafkaProducer(configuration: configuration)
        let error = try await #require(throws: KafkaError.self) { try await producer.waitUntilConnected(timeout: .seconds(20)) }
        await producer.shutdown(flushTimeout: .zero)
        withExtendedLifetime(cluster) {}
        return error
    }

    @Test("A region the signer refuses is named")
    func badRegion() async throws {
        let error = try await waitError(
            .awsMSKIAM(region: "US East 1", credentials: AWSCredentials(accessKeyID: "AKIAX", secretAccessKey: "top-secret-value")))
        #expect(error.code == .authentication, "\(error)")
        #expect(error.message.contains("'US East 1' is not an AWS region"), "\(error)")
        #expect(!"\(error)".contains("top-secret-value"))
    }

    @Test("A chain with no source configured names every source it tried")
    func noCredentials() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let nothing = AWSCredentialsChain.default(environment: [
            "AWS_CONFIG_FILE": folder.path + "/none", "AWS_SHARED_CREDENTIALS_FILE": folder.path + "/none",
        ])
        let error = try await waitError(.awsMSKIAM(region: "us-east-1", credentials: nothing))
        #expect(error.code == .authentication, "\(error)")
        for source in ["environment", "web identity", "profile default", "container endpoint"] {
            #expect(error.message.contains("\(source): "), "\(error)")
        }
    }
}
