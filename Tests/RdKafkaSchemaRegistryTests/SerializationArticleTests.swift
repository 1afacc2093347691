import RdKafka
import RdKafkaSchemaRegistry
import Testing

/// The Serialization article's registry code, compiled, up to its first request: against a
/// registry that does not answer, the serializer's error names the subject it was resolving.
struct SerializationArticleTests {
    struct Order: Encodable {
        var id: Int
        var total: Double
    }

    static let orderSchemaText = #"""
        {"type": "record", "name": "Order", "namespace": "shop", "fields": [
            {"name": "id", "type": "long"}, {"name": "total", "type": "double"}]}
        """#

    @Test("The article's client and serializer: an unreachable registry fails naming the subject")
    func articleCodeFailsNamingTheSubject() async throws {
        let apiKey = "key"
        let apiSecret = "secret"
        var settings = SchemaRegistryConfiguration(urls: ["http://127.0.0.1:1"])
        settings.authentication = .basic(user: apiKey, password: Secret(apiSecret))
        settings.maxRetries = 0
        let registry = try SchemaRegistryClient(configuration: settings)

        let orderValues = try AvroRegistrySerializer<Order>(registry: registry, schema: Self.orderSchemaText)
        let error = await #expect(throws: SchemaRegistryError.self) {
            try await orderValues.resolved(for: SerializationContext(topic: "orders", part: .value))
        }
        #expect(error?.code == .unreachable)
        #expect(error?.subject == "orders-value")
        #expect(error?.url == "http://127.0.0.1:1/subjects/orders-value/versions")
    }
}
