import ArgumentParser
import Foundation
import RdKafka
import RdKafkaAvro
import RdKafkaSchemaRegistry

/// `--schema-registry URL` with `--value-schema FILE` (and `--key-schema FILE`): input lines
/// are JSON objects written as Avro against the schema, framed with the id the registry gives
/// it under the topic's subject (`<topic>-value`, `<topic>-key`), registering it if needed.
///
/// Credentials come from the environment, never from the command line where `ps` shows them:
/// `SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=key:secret` (the form Confluent's tools take) or
/// `SCHEMA_REGISTRY_BEARER_TOKEN`.
struct SchemaRegistryOptions: ParsableArguments {
    @Option(
        name: .customLong("schema-registry"),
        help: ArgumentHelp(
            "Schema Registry URLs, comma-separated, to register --value-schema and --key-schema in. Credentials from SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (key:secret) or SCHEMA_REGISTRY_BEARER_TOKEN.",
            valueName: "url"))
    var urls: String?

    @Option(
        name: .customLong("value-schema"),
        help: ArgumentHelp(
            "The Avro schema (.avsc) for values, registered under <topic>-value; input lines are JSON objects.", valueName: "file"))
    var valueSchema: String?

    @Option(
        name: .customLong("key-schema"),
        help: ArgumentHelp(
            "The Avro schema (.avsc) for the --key value, which is then JSON, registered under <topic>-key.", valueName: "file"))
    var keySchema: String?

    @Option(
        name: .customLong("schema-registry-ca"),
        help: ArgumentHelp("PEM file of the certificate authorities an https registry's certificate must chain to.", valueName: "file"))
    var caFile: String?

    var isRequested: Bool { urls != nil || valueSchema != nil || keySchema != nil || caFile != nil }

    /// Refuses combinations that cannot work, naming the options.
    func check(format: ValueFormat, schema: String?, schemaID: UInt32?, key: String?, keySeparator: String?) throws {
        guard isRequested else { return }
        guard let urls, !urls.split(separator: ",").isEmpty else {
            throw ValidationError("--value-schema, --key-schema and --schema-registry-ca need --schema-registry URL")
        }
        if valueSchema == nil && keySchema == nil {
            throw ValidationError("--schema-registry needs --value-schema FILE or --key-schema FILE")
        }
        if valueSchema != nil && (format != .bytes || schema != nil || schemaID != nil) {
            throw ValidationError(
                "--value-schema writes Avro with the registry's id; leave out --format, --schema and --schema-id")
        }
        if keySchema != nil {
            if keySeparator != nil {
                throw ValidationError("--key-schema encodes the one --key value; it cannot be used with --key-separator")
            }
            if key == nil { throw ValidationError("--key-schema needs --key with the key as JSON") }
        }
    }

    /// The registry client, with credentials from the environment.
    private func client() throws -> SchemaRegistryClient {
        var configuration = SchemaRegistryConfiguration(urls: (urls ?? "").split(separator: ",").map(String.init))
        let environment = ProcessInfo.processInfo.environment
        if let userInfo = environment["SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"], !userInfo.isEmpty {
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw ValidationError("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO must be key:secret")
            }
            configuration.authentication = .basic(
                user: String(userInfo[..<colon]), password: Secret(String(userInfo[userInfo.index(after: colon)...])))
        } else if let token = environment["SCHEMA_REGISTRY_BEARER_TOKEN"], !token.isEmpty {
            let secret = Secret(token)
            configuration.authentication = .bearer { secret }
        }
        if let caFile { configuration.tls.trustRoots = .file(caFile) }
        do {
            return try SchemaRegistryClient(configuration: configuration)
        } catch let error as SchemaRegistryError {
            throw ValidationError("--schema-registry: \(error.message)")
        }
    }

    /// The serializers resolved for `topic`: the value encoder, and the encoded key. Both `nil`
    /// when no registry option was given. Registers the schemas before anything is sent, so
    /// that a refused schema fails at once.
    func resolve(topic: String, key: String?) async throws -> (values: ValueEncoder?, key: [UInt8]?) {
        guard isRequested else { return (nil, nil) }
        let registry = try client()
        var values: ValueEncoder?
        if let valueSchema {
            let serializer = try AvroRegistrySerializer<JSONObject>(
                registry: registry, schema: try Self.read(valueSchema, "--value-schema"))
            values = ValueEncoder(serializer: try await serializer.resolved(for: SerializationContext(topic: topic, part: .value)))
        }
        var encodedKey: [UInt8]?
        if let keySchema, let key {
            let serializer = try AvroRegistrySerializer<JSONObject>(registry: registry, schema: try Self.read(keySchema, "--key-schema"))
            let resolved = try await serializer.resolved(for: SerializationContext(topic: topic, part: .key))
            let value: JSONObject
            do {
                value = try JSONDecoder().decode(JSONObject.self, from: Data(key.utf8))
            } catch {
                throw ValidationError("--key with --key-schema must be JSON: \(error.localizedDescription)")
            }
            encodedKey = try resolved.serialize(value, in: SerializationContext(topic: topic, part: .key))
        }
        return (values, encodedKey)
    }

    private static func read(_ file: String, _ option: String) throws -> String {
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(option) \(file): \(error.localizedDescription)")
        }
    }
}
