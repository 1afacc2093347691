import Foundation
import RdKafka
import TestSupport
import Testing

@testable import RdKafkaSchemaRegistry

/// Our client against the test registry: the calls, the typed errors, the caches, basic auth
/// and TLS through stunnel.
@Suite(
    "Schema Registry client against the test registry",
    .enabled(if: RegistryEnvironment.isUsable, "\(RegistryEnvironment.disabledReason)"), .timeLimit(.minutes(3)))
struct SchemaRegistryClientTests {
    let registry = RegistryEnvironment.current!

    static let payment = #"""
        {"type": "record", "name": "Payment", "namespace": "shop", "fields": [
            {"name": "id", "type": "long"}, {"name": "amount", "type": "double"}]}
        """#

    struct Payment: Encodable {
        var id: Int64
        var amount: Double
    }

    func client(_ url: String? = nil, configure: (inout SchemaRegistryConfiguration) -> Void = { _ in }) throws -> SchemaRegistryClient {
        var configuration = SchemaRegistryConfiguration(urls: [url ?? registry.url])
        configuration.maxRetries = 0
        configure(&configuration)
        return try SchemaRegistryClient(configuration: configuration)
    }

    @Test("Register, look up, by id, version, latest and compatibility return what the registry holds")
    func calls() async throws {
        let client = try client()
        let subject = BrokerEnvironment.uniqueTopic("client") + "-value"
        let schema = Schema(Self.payment)
        let id = try await client.register(schema, under: subject)
        #expect(try await client.lookUp(schema, under: subject) == RegisteredSchema(subject: subject, id: id, version: 1, schema: schema))
        #expect(try await client.schema(id: id) == schema)
        #expect(try await client.version(1, of: subject).id == id)
        #expect(try await client.latestVersion(of: subject).id == id)
        #expect(try await client.isCompatible(schema, with: subject))
        #expect(try await client.isCompatible(Schema(#"{"type": "object"}"#, type: .json), with: subject) == false)
    }

    @Test("Errors carry the subject, version or id, the HTTP status and the registry's code")
    func typedErrors() async throws {
        let client = try client()
        let subject = BrokerEnvironment.uniqueTopic("missing") + "-value"
        let unknownSubject = await #expect(throws: SchemaRegistryError.self) { try await client.latestVersion(of: subject) }
        #expect(unknownSubject?.code == .rejected)
        #expect(unknownSubject?.subject == subject)
        #expect(unknownSubject?.version == "latest")
        #expect(unknownSubject?.httpStatus == 404)
        #expect(unknownSubject?.registryErrorCode == 40401)
        let unknownID = await #expect(throws: SchemaRegistryError.self) { try await client.schema(id: 987_654) }
        #expect(unknownID?.schemaID == 987_654)
        #expect(unknownID?.registryErrorCode == 40403)
        let invalid = await #expect(throws: SchemaRegistryError.self) { try await client.register(Schema("{not json"), under: subject) }
        #expect(invalid?.httpStatus == 422)
        #expect(invalid?.registryErrorCode == 42201)
        _ = try await client.register(Schema(Self.payment), under: subject)
        let incompatible = await #expect(throws: SchemaRegistryError.self) {
            try await client.register(Schema(#"{"type": "object"}"#, type: .json), under: subject)
        }
        #expect(incompatible?.httpStatus == 409)
        #expect(incompatible?.registryErrorCode == 409)
        let notRegistered = await #expect(throws: SchemaRegistryError.self) {
            try await client.lookUp(Schema(#"{"type": "string"}"#), under: subject)
        }
        #expect(notRegistered?.registryErrorCode == 40403)
    }

    @Test("100,000 values of one schema make one registration request")
    func steadyStreamMakesOneRequest() async throws {
        let topic = BrokerEnvironment.uniqueTopic("cached")
        let serializer = try AvroRegistrySerializer<Payment>(registry: try client(), schema: Self.payment)
        let context = SerializationContext(topic: topic, part: .value)
        var framedIDs = Set<[UInt8]>()
        for index in 0..<100_000 {
            let bytes = try await serializer.serialize(Payment(id: Int64(index), amount: 1.5), in: context)
            framedIDs.insert(Array(bytes.prefix(5)))
        }
        #expect(framedIDs.count == 1)
        #expect(try await registry.requestCount("register \(topic)-value") == 1)
        #expect(try await registry.requestCount("lookup \(topic)-value") == 0)
    }

    struct RegistrationNeverArrived: Error {}

    @Test("50 tasks serializing a new schema at once make one registration request")
    func concurrentFirstUsesShareOneRequest() async throws {
        let topic = BrokerEnvironment.uniqueTopic("single-flight")
        let subject = "\(topic)-value"
        let client = try client()
        let serializer = try AvroRegistrySerializer<Payment>(registry: client, schema: Self.payment)
        // The registry holds the registration until every task has joined it: the overlap is
        // made, not hoped for.
        try await registry.hold(subject)
        let outcome = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await serializer.serialize(
                        Payment(id: Int64(index), amount: 2), in: SerializationContext(topic: topic, part: .value))
                }
            }
            do {
                let deadline = ContinuousClock.now + .seconds(20)
                while try await registry.requestCount("register \(subject)") != 1 {
                    guard ContinuousClock.now < deadline else { throw RegistrationNeverArrived() }
                    try await Task.sleep(for: .milliseconds(5))
                }
                try await waitUntil { client.registrationJoiners(Schema(Self.payment), under: subject) == 49 }
            } catch {
                // Released anyway, so that the tasks end now rather than at the server's own limit.
                try await registry.release(subject)
                throw error
            }
            try await registry.release(subject)
            var headers = Set<[UInt8]>()
            for try await bytes in group { headers.insert(Array(bytes.prefix(5))) }
            return headers
        }
        #expect(outcome.count == 1)
        #expect(try await registry.requestCount("register \(subject)") == 1)
    }

    @Test("A wrong secret is refused with 401 and the secret appears nowhere in the error; the right one is accepted")
    func basicAuthentication() async throws {
        let secret = "wrong-\(UUID().uuidString)"
        let refused = try client(registry.authenticatedURL) { $0.authentication = .basic(user: registry.user, password: Secret(secret)) }
        let subject = BrokerEnvironment.uniqueTopic("auth") + "-value"
        let error = await #expect(throws: SchemaRegistryError.self) { try await refused.register(Schema(Self.payment), under: subject) }
        #expect(error?.httpStatus == 401)
        #expect(error?.subject == subject)
        #expect(error.map { "\($0)".contains(secret) || String(reflecting: $0).contains(secret) } == false)
        let accepted = try client(registry.authenticatedURL) {
            $0.authentication = .basic(user: registry.user, password: Secret(registry.password))
        }
        #expect(try await accepted.register(Schema(Self.payment), under: subject) > 0)
    }

    @Test("The registry behind stunnel is reached with the test CA as typed trust roots, and refused without it")
    func tlsWithTypedTrustRoots() async throws {
        let ca = BrokerEnvironment.current!.ca
        let subject = BrokerEnvironment.uniqueTopic("tls") + "-value"
        let trusted = try client(registry.tlsURL) { $0.tls = .init(trustRoots: .file(ca)) }
        #expect(try await trusted.register(Schema(Self.payment), under: subject) > 0)
        let pem = try String(contentsOfFile: ca, encoding: .utf8)
        let fromText = try client(registry.tlsURL) { $0.tls = .init(trustRoots: .pem(pem)) }
        #expect(try await fromText.latestVersion(of: subject).version == 1)
        let untrusted = try client(registry.tlsURL)
        let error = await #expect(throws: SchemaRegistryError.self) { try await untrusted.latestVersion(of: subject) }
        #expect(error?.code == .unreachable)
        let wrongCA = try client(registry.tlsURL) { $0.tls = .init(trustRoots: .file(BrokerEnvironment.current!.wrongCA)) }
        let wrong = await #expect(throws: SchemaRegistryError.self) { try await wrongCA.latestVersion(of: subject) }
        #expect(wrong?.code == .unreachable)
    }

    @Test("Mutual TLS: the producer's typed client identity (files, PEM, encrypted key) is presented; none is refused")
    func mutualTLSWithTypedClientIdentity() async throws {
        let broker = BrokerEnvironment.current!
        let subject = BrokerEnvironment.uniqueTopic("mtls") + "-value"
        let identities: [TLSConfiguration.ClientIdentity] = [
            .files(certificate: broker.clientCertificate, key: broker.clientKey),
            .pem(
                certificate: try String(contentsOfFile: broker.clientCertificate, encoding: .utf8),
                key: Secret(try String(contentsOfFile: broker.clientKey, encoding: .utf8))),
            .files(
                certificate: broker.clientCertificate, key: broker.encryptedClientKey, keyPassword: Secret(broker.clientKeyPassword)),
        ]
        for identity in identities {
            let client = try client(registry.mutualTLSURL) { $0.tls = .init(trustRoots: .file(broker.ca), clientIdentity: identity) }
            #expect(try await client.register(Schema(Self.payment), under: subject) > 0, "\(identity)")
        }
        let anonymous = try client(registry.mutualTLSURL) { $0.tls = .init(trustRoots: .file(broker.ca)) }
        let error = await #expect(throws: SchemaRegistryError.self) { try await anonymous.latestVersion(of: subject) }
        #expect(error?.code == .unreachable)
    }

    @Test("Registered-only finds a registered schema and refuses an unregistered one without registering it")
    func registeredOnlySelection() async throws {
        let topic = BrokerEnvironment.uniqueTopic("registered-only")
        let client = try client()
        let serializer = try AvroRegistrySerializer<Payment>(
            registry: client, schema: Self.payment, settings: .init(selection: .registeredOnly))
        let context = SerializationContext(topic: topic, part: .value)
        let error = await #expect(throws: SchemaRegistryError.self) { try await serializer.resolved(for: context) }
        #expect(error?.subject == "\(topic)-value")
        #expect(error?.registryErrorCode == 40401)
        #expect(try await registry.requestCount("register \(topic)-value") == 0)
        let id = try await client.register(Schema(Self.payment), under: "\(topic)-value")
        #expect(Array(try await serializer.serialize(Payment(id: 1, amount: 1), in: context).prefix(5)) == [0] + id.bigEndianBytes)
    }

    @Test("Latest version writes with the subject's latest id")
    func latestVersionSelection() async throws {
        let topic = BrokerEnvironment.uniqueTopic("latest")
        let client = try client()
        _ = try await client.register(Schema(Self.payment), under: "\(topic)-value")
        let widened =
            #"{"type": "record", "name": "Payment", "namespace": "shop", "fields": [{"name": "id", "type": "long"}, {"name": "amount", "type": "double"}, {"name": "note", "type": ["null", "string"], "default": null}]}"#
        let latest = try await client.register(Schema(widened), under: "\(topic)-value")
        let serializer = try AvroRegistrySerializer<Payment>(
            registry: try self.client(), schema: Self.payment, settings: .init(selection: .latestVersion))
        let bytes = try await serializer.serialize(Payment(id: 1, amount: 1), in: SerializationContext(topic: topic, part: .value))
        #expect(Array(bytes.prefix(5)) == [0] + latest.bigEndianBytes)
    }

    @Test("A request the registry holds past the timeout fails as unreachable, naming the subject")
    func requestTimeout() async throws {
        let subject = BrokerEnvironment.uniqueTopic("timeout") + "-value"
        let client = try client { $0.requestTimeout = .milliseconds(500) }
        // Held until the client has given up: only the timeout can end the request.
        try await registry.hold(subject)
        let error = await #expect(throws: SchemaRegistryError.self) { try await client.register(Schema(Self.payment), under: subject) }
        try await registry.release(subject)
        #expect(error?.code == .unreachable)
        #expect(error?.subject == subject)
    }

    @Test("A registry URL that does not answer is passed over for the next")
    func urlsTriedInTurn() async throws {
        let client = try client { $0.urls = ["http://127.0.0.1:1", registry.url] }
        let subject = BrokerEnvironment.uniqueTopic("failover") + "-value"
        #expect(try await client.register(Schema(Self.payment), under: subject) > 0)
    }
}

extension UInt32 {
    /// The four bytes of the registry header's id.
    var bigEndianBytes: [UInt8] { withUnsafeBytes(of: bigEndian) { Array($0) } }
}
