import RdKafka
import RdKafkaSchemaRegistry
import Testing

/// The Serialization article's registry code, compiled. It stops before the first request:
/// tests that talk to a registry are in BrokerTests, and URLSession's libcurl keeps global
/// allocations that the sanitizer runs of these unit tests would report.
struct SerializationArticleTests {
    struct Order: Encodable {
        var id: Int
        var total: Double
    }

    static let orderSchemaText = #"""
        {"type": "record", "name": "Order", "namespace": "shop", "fields": [
            {"name": "id", "type": "long"}, {"name": "total", "type": "double"}]}
        """#

    @Test("The article's client and serializer build, and printing the settings shows no secret")
    func articleCodeBuildsWithoutShowingTheSecret() throws {
        let apiKey = "key"
        let apiSecret = "article-secret"
        var settings = SchemaRegistryConfiguration(urls: ["https://psrc-123.europe-west3.gcp.confluent.cloud"])
        settings.authentication = .basic(user: apiKey, password: Secret(apiSecret))
        let registry = try SchemaRegistryClient(configuration: settings)
        let orderValues = try AvroRegistrySerializer<Order>(registry: registry, schema: Self.orderSchemaText)

        #expect(orderValues.schema.fullName == "shop.Order")
        for text in [String(describing: settings), String(reflecting: settings), String(describing: registry.configuration)] {
            #expect(!text.contains(apiSecret))
        }
    }
}
