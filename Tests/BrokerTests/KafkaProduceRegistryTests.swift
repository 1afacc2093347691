import Foundation
import TestSupport
import Testing

/// kafka-produce's registry path as a shell user runs it: JSON lines in, Avro records framed
/// with the id the registry gave the schema out, credentials from the environment.
@Suite(
    "kafka-produce: --schema-registry with --value-schema",
    .enabled(if: RegistryEnvironment.isUsable, "\(RegistryEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct KafkaProduceRegistryTests {
    let broker = BrokerEnvironment.current!
    let registry = RegistryEnvironment.current!

    static let payment = #"""
        {"type": "record", "name": "Payment", "namespace": "shop", "fields": [
            {"name": "id", "type": "long"}, {"name": "amount", "type": "double"}]}
        """#

    /// The kafka-produce built beside this test runner.
    static func executable() throws -> String {
        let beside = { (folder: URL) in folder.deletingLastPathComponent().appendingPathComponent("kafka-produce").path }
        let runner = try #require(Bundle.main.executableURL.map(beside))
        try #require(FileManager.default.isExecutableFile(atPath: runner), "kafka-produce is not built beside the tests")
        return runner
    }

    /// Runs kafka-produce with `userInfo` in SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO.
    func produce(_ topic: String, userInfo: String, schemaFile: String, input: String) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(
            "/usr/bin/env",
            [
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=\(userInfo)", try Self.executable(), "-b", broker.plain, "-t", topic,
                "--schema-registry", registry.authenticatedURL, "--value-schema", schemaFile, "-H", "format=avro",
                "-H", "strategy=topic", "--quiet",
            ],
            input: Data(input.utf8))
    }

    func schemaFile() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("payment-\(UUID().uuidString).avsc")
        try Self.payment.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("JSON lines become Avro records that Confluent's AvroDeserializer reads with the registered schema")
    func jsonLinesBecomeRegisteredAvro() async throws {
        let topic = BrokerEnvironment.uniqueTopic("cli-registry")
        let file = try schemaFile()
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await produce(
            topic, userInfo: "\(registry.user):\(registry.password)", schemaFile: file.path,
            input: #"{"id": 1, "amount": 2.5}"# + "\n" + #"{"id": 2, "amount": 4}"# + "\n")
        #expect(outcome.status == 0, "\(String(decoding: outcome.errors, as: UTF8.self))")
        let output = try await RegistryEnvironment.runScript(
            "registry-decode-back", [broker.plain, topic, "2", registry.authenticatedURL, registry.user, registry.password])
        guard case .array(let records) = try JSONDecoder().decode(JSONValue.self, from: output) else {
            Issue.record("registry-decode-back printed \(String(decoding: output, as: UTF8.self))")
            return
        }
        #expect(
            records.compactMap { $0["value"] } == [
                .object(["id": .number(1), "amount": .number(2.5)]), .object(["id": .number(2), "amount": .number(4)]),
            ])
    }

    @Test("A wrong secret stops kafka-produce before sending, with the status and without the secret")
    func wrongSecretIsRefused() async throws {
        let file = try schemaFile()
        defer { try? FileManager.default.removeItem(at: file) }
        let secret = "not-the-password-\(UUID().uuidString)"
        let outcome = try await produce(
            BrokerEnvironment.uniqueTopic("cli-registry"), userInfo: "\(registry.user):\(secret)", schemaFile: file.path,
            input: #"{"id": 1, "amount": 2.5}"# + "\n")
        let errors = String(decoding: outcome.errors + outcome.output, as: UTF8.self)
        #expect(outcome.status != 0)
        #expect(errors.contains("HTTP 401"), "\(errors)")
        #expect(!errors.contains(secret))
    }
}
