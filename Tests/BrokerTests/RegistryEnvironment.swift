import Foundation
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Schema Registry servers scripts/broker/start runs (scripts/broker/schema_registry.py):
/// open, with basic auth, and the open one behind stunnel.
struct RegistryEnvironment {
    let url: String
    let authenticatedURL: String
    let tlsURL: String
    /// The open one behind stunnel requiring a client certificate from the test CA.
    let mutualTLSURL: String
    /// The user and password the authenticated one accepts.
    let user: String
    let password: String

    static let current: RegistryEnvironment? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["RDKAFKA_TEST_SCHEMA_REGISTRY"],
            let authenticatedURL = environment["RDKAFKA_TEST_SCHEMA_REGISTRY_AUTH"],
            let tlsURL = environment["RDKAFKA_TEST_SCHEMA_REGISTRY_TLS"],
            let mutualTLSURL = environment["RDKAFKA_TEST_SCHEMA_REGISTRY_MTLS"],
            let usersFile = environment["RDKAFKA_TEST_SCHEMA_REGISTRY_USERS"],
            let data = FileManager.default.contents(atPath: usersFile),
            let users = try? JSONDecoder().decode([String: String].self, from: data), let (user, password) = users.first
        else { return nil }
        return RegistryEnvironment(
            url: url, authenticatedURL: authenticatedURL, tlsURL: tlsURL, mutualTLSURL: mutualTLSURL, user: user, password: password)
    }()

    static var isUsable: Bool { BrokerEnvironment.isUsable && current != nil }

    static let disabledReason =
        "no Schema Registry or broker: run the tests through scripts/test (scripts/broker/start runs schema_registry.py)"

    /// How many calls the open registry has served, by route name and subject: for example
    /// `"register orders-value"`.
    func requestCount(_ key: String) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(url)/_test/requests")!)
        return try JSONDecoder().decode([String: Int].self, from: data)[key] ?? 0
    }

    /// Makes the open registry hold registrations under `subject` until ``release(_:)``.
    func hold(_ subject: String) async throws {
        try await control("hold", subject)
    }

    /// Lets held registrations under `subject` go on.
    func release(_ subject: String) async throws {
        try await control("release", subject)
    }

    private func control(_ verb: String, _ subject: String) async throws {
        var request = URLRequest(url: URL(string: "\(url)/_test/\(verb)/\(subject)")!)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    /// Runs a script of scripts/broker and returns what it printed, failing on a non-zero exit.
    static func runScript(_ name: String, _ arguments: [String]) async throws -> Data {
        let script = IndependentDecoder.repositoryRoot.appendingPathComponent("scripts/broker/\(name)").path
        let outcome = try await ChildProcess.run(script, arguments)
        guard outcome.status == 0 else {
            throw ScriptFailure(script: name, status: outcome.status, stderr: String(decoding: outcome.errors, as: UTF8.self))
        }
        return outcome.output
    }
}

/// A script of scripts/broker exited non-zero.
struct ScriptFailure: Error, CustomStringConvertible {
    var script: String
    var status: Int32
    var stderr: String
    var description: String { "\(script) exited \(status): \(stderr)" }
}
