import RdKafka
import RdKafkaSchemaRegistry
import Testing

struct SubjectNameStrategyTests {
    let value = SerializationContext(topic: "orders", part: .value)
    let key = SerializationContext(topic: "orders", part: .key)

    @Test("Topic name: the topic and the half")
    func topicName() throws {
        #expect(try SubjectNameStrategy.topicName.subject(for: value, recordName: "shop.Order") == "orders-value")
        #expect(try SubjectNameStrategy.topicName.subject(for: key, recordName: nil) == "orders-key")
    }

    @Test("Record name and topic-record name use the record's full name")
    func recordNames() throws {
        #expect(try SubjectNameStrategy.recordName.subject(for: value, recordName: "shop.Order") == "shop.Order")
        #expect(try SubjectNameStrategy.topicRecordName.subject(for: value, recordName: "shop.Order") == "orders-shop.Order")
    }

    @Test("A record-name strategy for a schema without a name is refused, naming the topic and half")
    func missingRecordNameIsRefused() {
        let error = #expect(throws: SchemaRegistryError.self) {
            try SubjectNameStrategy.recordName.subject(for: key, recordName: nil)
        }
        #expect(error?.code == .noRecordName)
        #expect(error?.message.contains("key schema for topic 'orders'") == true)
    }

    @Test("Errors name the subject, version, status and registry code, and never a secret")
    func errorDescription() {
        let error = SchemaRegistryError(
            code: .rejected, message: "Subject 'x-value' not found.", subject: "x-value", version: "latest", httpStatus: 404,
            registryErrorCode: 40401, url: "http://127.0.0.1:1/subjects/x-value/versions/latest")
        #expect(
            error.description
                == "Schema Registry rejected, subject 'x-value', version latest, HTTP 404, error code 40401: Subject 'x-value' not found. (http://127.0.0.1:1/subjects/x-value/versions/latest)"
        )
    }

    @Test("Client configurations with no URL, a non-HTTP URL or credentials in a URL are refused")
    func invalidConfigurations() {
        for urls in [[], ["ftp://registry:21"], ["registry:8081"], ["http://key:secret@registry:8081"]] {
            let error = #expect(throws: SchemaRegistryError.self) {
                try SchemaRegistryClient(configuration: .init(urls: urls))
            }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.description.contains("secret") == false)
        }
    }
}
