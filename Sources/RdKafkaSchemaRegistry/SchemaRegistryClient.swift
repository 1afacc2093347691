import Foundation

/// A client for Confluent's Schema Registry REST API, which Confluent Cloud, Redpanda, Aiven's
/// Karapace and Apicurio's compatibility layer also serve.
///
/// It registers schemas, looks their ids up, and fetches schemas by id and subject versions by
/// number or the latest. What the registry assigns never changes, so answers are cached for the
/// client's lifetime both ways (the id by subject and schema, the schema by id), and concurrent
/// first uses of one schema make one request. Share one client between serializers and tasks.
///
/// ```swift
/// let registry = try SchemaRegistryClient(configuration: .init(urls: ["http://localhost:8081"]))
/// let id = try await registry.register(Schema(orderSchemaText), under: "orders-value")
/// ```
public final class SchemaRegistryClient: Sendable {
    /// The settings the client was created with.
    public let configuration: SchemaRegistryConfiguration
    private let exchange: RegistryExchange

    private struct SubjectSchema: Hashable, Sendable {
        var subject: String
        var schema: Schema
    }

    private struct SubjectVersion: Hashable, Sendable {
        var subject: String
        var version: Int
    }

    private let registrations = SingleFlightCache<SubjectSchema, UInt32>()
    private let lookups = SingleFlightCache<SubjectSchema, RegisteredSchema>()
    private let schemasByID = SingleFlightCache<UInt32, Schema>()
    private let versions = SingleFlightCache<SubjectVersion, RegisteredSchema>()
    private let latestVersions = SingleFlightCache<String, RegisteredSchema>()

    /// Creates a client.
    ///
    /// - Parameter configuration: The registry's URLs and how to reach them.
    /// - Throws: ``SchemaRegistryError`` `.invalidConfiguration` when there is no URL, or one is
    ///   not an absolute `http` or `https` URL, or has credentials in it (use
    ///   ``SchemaRegistryConfiguration/authentication``, which keeps them out of errors).
    public init(configuration: SchemaRegistryConfiguration) throws {
        guard !configuration.urls.isEmpty else {
            throw SchemaRegistryError(code: .invalidConfiguration, message: "no registry URL")
        }
        let urls = try configuration.urls.map { text in
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                url.host != nil
            else {
                throw SchemaRegistryError(
                    code: .invalidConfiguration, message: "'\(text)' is not an http or https URL with a host")
            }
            guard url.user == nil, url.password == nil else {
                throw SchemaRegistryError(
                    code: .invalidConfiguration,
                    message: "a registry URL has credentials in it; give them as authentication instead")
            }
            return url
        }
        guard configuration.maxRetries >= 0 else {
            throw SchemaRegistryError(
                code: .invalidConfiguration, message: "maxRetries is \(configuration.maxRetries); it must be 0 or more")
        }
        self.configuration = configuration
        let transport: any RegistryTransport =
            configuration.tls.isDefault
            ? URLSessionTransport(timeout: configuration.requestTimeout)
            : CurlTransport(tls: configuration.tls, timeout: configuration.requestTimeout)
        exchange = RegistryExchange(
            urls: urls, transport: transport, authentication: configuration.authentication,
            retries: RetryPolicy(
                maxRetries: configuration.maxRetries, backoff: configuration.retryBackoff,
                maxBackoff: configuration.maxRetryBackoff))
    }

    deinit {
        exchange.transport.close()
    }

    /// Registers `schema` under `subject`, or finds it there if it is already registered,
    /// and returns its id. `POST /subjects/{subject}/versions`.
    ///
    /// - Parameters:
    ///   - schema: The schema.
    ///   - subject: The subject, for example `orders-value`.
    /// - Returns: The schema's id, the same for the same schema under any subject.
    /// - Throws: ``SchemaRegistryError``: `.rejected` with 409 when the subject's compatibility
    ///   rules refuse the schema, 422 (42201) when the registry cannot parse it, 401 or 403
    ///   when the credentials are refused; `.unreachable` when no registry answered.
    public func register(_ schema: Schema, under subject: String) async throws -> UInt32 {
        let key = SubjectSchema(subject: subject, schema: schema)
        if let id = lookups.cachedValue(for: key)?.id { return id }
        return try await registrations.value(for: key) { [exchange] in
            let body = try await exchange.perform(
                "POST", "subjects/\(subject.escapedPathSegment)/versions",
                body: try JSONEncoder().encode(RegistryWireFormat.SchemaBody(schema)), about: .init(subject: subject))
            let answer = try Self.decode(RegistryWireFormat.IDBody.self, body, about: .init(subject: subject))
            self.schemasByID.store(schema, for: answer.id)
            return answer.id
        }
    }

    /// Finds `schema` among `subject`'s versions without registering it.
    /// `POST /subjects/{subject}`.
    ///
    /// - Returns: The schema's id and its version in the subject.
    /// - Throws: ``SchemaRegistryError`` `.rejected` with 404 and 40401 when the subject does
    ///   not exist, 40403 when the schema is not registered under it; `.unreachable` when no
    ///   registry answered.
    public func lookUp(_ schema: Schema, under subject: String) async throws -> RegisteredSchema {
        let key = SubjectSchema(subject: subject, schema: schema)
        return try await lookups.value(for: key) { [exchange] in
            let body = try await exchange.perform(
                "POST", "subjects/\(subject.escapedPathSegment)",
                body: try JSONEncoder().encode(RegistryWireFormat.SchemaBody(schema)), about: .init(subject: subject))
            let answer = try Self.decode(RegistryWireFormat.VersionBody.self, body, about: .init(subject: subject))
            self.schemasByID.store(schema, for: answer.id)
            return RegisteredSchema(subject: subject, id: answer.id, version: answer.version, schema: schema)
        }
    }

    /// The schema with `id`. `GET /schemas/ids/{id}`.
    ///
    /// - Throws: ``SchemaRegistryError`` `.rejected` with 404 and 40403 when no schema has the
    ///   id; `.unreachable` when no registry answered.
    public func schema(id: UInt32) async throws -> Schema {
        try await schemasByID.value(for: id) { [exchange] in
            let body = try await exchange.perform("GET", "schemas/ids/\(id)", about: .init(schemaID: id))
            let answer = try Self.decode(RegistryWireFormat.SchemaByIDBody.self, body, about: .init(schemaID: id))
            return Schema(answer.schema, type: RegistryWireFormat.type(named: answer.schemaType))
        }
    }

    /// Version `version` of `subject`. `GET /subjects/{subject}/versions/{version}`.
    ///
    /// - Throws: ``SchemaRegistryError`` `.rejected` with 404 and 40401 (no such subject) or
    ///   40402 (no such version); `.unreachable` when no registry answered.
    public func version(_ version: Int, of subject: String) async throws -> RegisteredSchema {
        try await versions.value(for: SubjectVersion(subject: subject, version: version)) {
            try await self.fetchVersion("\(version)", of: subject)
        }
    }

    /// The latest version of `subject`. `GET /subjects/{subject}/versions/latest`.
    ///
    /// Fetched once and then kept, like every other answer, so that a serializer using the
    /// latest version makes no request per record; a schema registered later under the
    /// subject is seen by a new client.
    ///
    /// - Throws: ``SchemaRegistryError`` `.rejected` with 404 and 40401 when the subject does
    ///   not exist; `.unreachable` when no registry answered.
    public func latestVersion(of subject: String) async throws -> RegisteredSchema {
        try await latestVersions.value(for: subject) {
            try await self.fetchVersion("latest", of: subject)
        }
    }

    /// Whether `schema` may be registered under `subject` by the subject's compatibility
    /// rules, checked against its latest version. Never cached: the rules and the versions
    /// change. `POST /compatibility/subjects/{subject}/versions/latest`.
    ///
    /// - Throws: ``SchemaRegistryError`` `.rejected` with 404 and 40401 when the subject does
    ///   not exist, 422 (42201) when the schema cannot be parsed; `.unreachable` when no
    ///   registry answered.
    public func isCompatible(_ schema: Schema, with subject: String) async throws -> Bool {
        let topic = RegistryExchange.Topic(subject: subject, version: "latest")
        let body = try await exchange.perform(
            "POST", "compatibility/subjects/\(subject.escapedPathSegment)/versions/latest",
            body: try JSONEncoder().encode(RegistryWireFormat.SchemaBody(schema)), about: topic)
        return try Self.decode(RegistryWireFormat.CompatibilityBody.self, body, about: topic).isCompatible
    }

    /// How many callers wait on the registration of `schema` under `subject` under way,
    /// besides the one that started it. For tests of the single-flight rule.
    func registrationJoiners(_ schema: Schema, under subject: String) -> Int {
        registrations.joiners(of: SubjectSchema(subject: subject, schema: schema))
    }

    private func fetchVersion(_ version: String, of subject: String) async throws -> RegisteredSchema {
        let topic = RegistryExchange.Topic(subject: subject, version: version)
        let body = try await exchange.perform(
            "GET", "subjects/\(subject.escapedPathSegment)/versions/\(version)", about: topic)
        let answer = try Self.decode(RegistryWireFormat.VersionBody.self, body, about: topic)
        let schema = Schema(answer.schema, type: RegistryWireFormat.type(named: answer.schemaType))
        schemasByID.store(schema, for: answer.id)
        return RegisteredSchema(subject: answer.subject, id: answer.id, version: answer.version, schema: schema)
    }

    private static func decode<Body: Decodable>(
        _ type: Body.Type, _ data: Data, about topic: RegistryExchange.Topic
    ) throws -> Body {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw SchemaRegistryError(
                code: .invalidResponse,
                message: "the answer is not a \(type) body: \(String(decoding: data.prefix(200), as: UTF8.self))",
                subject: topic.subject, version: topic.version, schemaID: topic.schemaID)
        }
    }
}
