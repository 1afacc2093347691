import Foundation
import TestSupport
import Testing

/// The test registry (scripts/broker/schema_registry.py) answers as Confluent's own client,
/// confluent-kafka-python's SchemaRegistryClient, expects: every call and every error, with
/// Confluent's status codes and error codes. Only then do the other registry tests, which
/// talk to it with our client, prove anything about Confluent-compatible registries.
@Suite(
    "Schema Registry server checked with confluent-kafka-python's client",
    .enabled(if: RegistryEnvironment.isUsable, "\(RegistryEnvironment.disabledReason)"), .timeLimit(.minutes(2)))
struct SchemaRegistryConformanceTests {
    let registry = RegistryEnvironment.current!

    @Test("Register, look up, by id, versions, latest and compatibility answer as Confluent's client expects")
    func confluentClientAgainstTestRegistry() async throws {
        let stem = BrokerEnvironment.uniqueTopic("conformance")
        let output = try await RegistryEnvironment.runScript("registry-conformance", [registry.url, stem])
        let results = try JSONDecoder().decode(JSONValue.self, from: output)
        let order = #"{"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "id", "type": "long"}]}"#
        let person = #"{"title": "Person", "type": "object", "properties": {"name": {"type": "string"}}}"#
        let first = results["register"]?["ok"]
        let second = results["register_v2"]?["ok"]
        #expect(first != nil && second != nil && first != second)
        #expect(results["register_again"]?["ok"] == first)
        #expect(
            results["lookup"]?["ok"]
                == .object(["id": first!, "version": .number(1), "subject": .string("\(stem)-orders-value"), "schema": .string(order)]))
        #expect(results["by_id"]?["ok"] == .object(["schema": .string(person), "type": .string("JSON")]))
        #expect(results["latest"]?["ok"]?["id"] == second)
        #expect(results["latest"]?["ok"]?["version"] == .number(2))
        #expect(results["version_1"]?["ok"]?["id"] == first)
        #expect(results["versions"]?["ok"] == .array([.number(1), .number(2)]))
        #expect(results["subjects_include"]?["ok"] == .bool(true))
        #expect(results["compatible"]?["ok"] == .bool(true))
        #expect(results["incompatible"]?["ok"] == .bool(false))
        let errors: [String: (Double, Double)] = [
            "lookup_unknown_subject": (404, 40401), "lookup_unknown_schema": (404, 40403), "unknown_id": (404, 40403),
            "unknown_version": (404, 40402), "latest_unknown_subject": (404, 40401), "invalid_schema": (422, 42201),
            "incompatible_type": (409, 409),
        ]
        for (call, (status, code)) in errors {
            #expect(results[call] == .object(["status": .number(status), "code": .number(code)]), "\(call)")
        }
    }

    @Test("Confluent's client with a wrong password is refused with 401")
    func confluentClientWrongPassword() async throws {
        let output = try await RegistryEnvironment.runScript(
            "registry-conformance", [registry.authenticatedURL, BrokerEnvironment.uniqueTopic("conformance"), registry.user, "wrong"])
        let results = try JSONDecoder().decode(JSONValue.self, from: output)
        #expect(results["register"] == .object(["status": .number(401), "code": .number(401)]))
    }
}
