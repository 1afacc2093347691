import Foundation
import Testing

/// kafka-produce's security options as a shell user meets them: settings that would bypass or
/// weaken them, and secrets on the command line, are refused with exit 64 and a pointer to the
/// option to use, before anything connects.
@Suite("kafka-produce: security options refuse bypasses", .timeLimit(.minutes(1)))
struct KafkaProduceSecurityOptionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        /// What standard error must mention.
        let pointer: String
        /// A secret given on the command line, which standard error must not repeat.
        var secret: String? = nil
        var testDescription: String { arguments.joined(separator: " ") }
    }

    @Test(
        "Refused with exit 64, naming the option to use",
        arguments: [
            Case(arguments: ["-X", "ssl.cipher.suites=ECDHE-RSA-AES128-GCM-SHA256", "--tls"], pointer: "--tls-cipher-suites"),
            Case(arguments: ["--tls", "-X", "ssl.endpoint.identification.algorithm=none"], pointer: "--tls-no-hostname-check"),
            Case(arguments: ["--tls-ca", "ca.pem", "-X", "security.protocol=plaintext"], pointer: "not with -X"),
            Case(arguments: ["-X", "sasl.password=hunter2"], pointer: "--sasl-password-env", secret: "hunter2"),
            Case(
                arguments: ["--sasl-mechanism", "plain", "--sasl-username", "u", "--sasl-password-env", "PATH"],
                pointer: "--allow-plaintext-credentials"),
            Case(arguments: ["-b", "127.0.0.1:1", "--tls-cipher-suites", "NO-SUCH-CIPHER"], pointer: "ssl.cipher.suites"),
            Case(arguments: ["-b", "127.0.0.1:1", "--tls-cipher-suites", " "], pointer: "ssl.cipher.suites"),
            Case(arguments: ["--tls", "-X", "ssl.keystore.location=client.p12"], pointer: "--tls-keystore"),
            Case(arguments: ["-X", "ssl.keystore.password=hunter2"], pointer: "--tls-keystore-password-env", secret: "hunter2"),
            Case(arguments: ["--tls-keystore", "client.p12"], pointer: "--tls-keystore-password-env"),
            Case(
                arguments: ["-b", "127.0.0.1:1", "-X", "sasl.kerberos.principal=kafka/host"],
                pointer: "SASLConfiguration.gssapi"),
            Case(
                arguments: ["-b", "127.0.0.1:1", "-X", "enable.sasl.oauthbearer.unsecure.jwt=true"],
                pointer: "would weaken the connection's security"),
        ])
    func refused(_ refusal: Case) async throws {
        let outcome = try await KafkaProduceCommandTests.run(refusal.arguments + ["-t", "demo", "--count", "1"])
        let errors = String(decoding: outcome.errors, as: UTF8.self)
        #expect(outcome.status == 64, "\(errors)")
        #expect(errors.contains(refusal.pointer), "\(errors)")
        if let secret = refusal.secret { #expect(!errors.contains(secret), "the secret is echoed: \(errors)") }
    }

    @Test("-X with a security key that has no typed form is applied and shown on the connected line")
    func acceptedSecurityKeyShown() async throws {
        let fixture = try ClusterFixture(topic: "curves", partitions: 1)
        let outcome = try await KafkaProduceCommandTests.run(
            ["-b", fixture.cluster.bootstrapServers, "-t", "curves", "--count", "1", "-X", "ssl.curves.list=X25519"])
        let errors = String(decoding: outcome.errors, as: UTF8.self)
        #expect(outcome.status == 0, "\(errors)")
        #expect(errors.contains("Security(plaintext, additional(ssl.curves.list=X25519))"), "\(errors)")
    }
}
