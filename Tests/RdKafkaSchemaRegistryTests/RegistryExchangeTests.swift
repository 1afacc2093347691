import Foundation
import RdKafka
import Synchronization
import Testing

@testable import RdKafkaSchemaRegistry

/// The request loop with a scripted transport: which URL each attempt goes to, what is retried,
/// what each error says, and the credentials sent.
struct RegistryExchangeTests {
    /// Answers each request with the next scripted outcome and records what was asked.
    final class ScriptedTransport: RegistryTransport {
        enum Outcome {
            case answer(Int, String)
            case noAnswer(String)
        }

        private let state: Mutex<(outcomes: [Outcome], requests: [RegistryRequest])>

        init(_ outcomes: [Outcome]) {
            state = Mutex((outcomes, []))
        }

        var requests: [RegistryRequest] { state.withLock { $0.requests } }

        func send(_ request: RegistryRequest) async throws -> RegistryResponse {
            let outcome = state.withLock { state -> Outcome in
                state.requests.append(request)
                return state.outcomes.isEmpty ? .noAnswer("script exhausted") : state.outcomes.removeFirst()
            }
            switch outcome {
            case .answer(let status, let body): return RegistryResponse(status: status, body: Data(body.utf8))
            case .noAnswer(let message): throw TransportFailure(message: message)
            }
        }

        func close() {}
    }

    struct ProviderFailure: Error, CustomStringConvertible {
        var description: String { "token endpoint said: secret-in-provider-error" }
    }

    func exchange(
        _ transport: ScriptedTransport, urls: [String] = ["http://a:1", "http://b:2"], retries: Int = 1,
        authentication: SchemaRegistryConfiguration.Authentication = .none
    ) -> RegistryExchange {
        RegistryExchange(
            urls: urls.map { URL(string: $0)! }, transport: transport, authentication: authentication,
            retries: RetryPolicy(maxRetries: retries, backoff: .milliseconds(1), maxBackoff: .milliseconds(1)))
    }

    @Test("An unanswered request and a 5xx move on to the next URL, round after round, until one answers 2xx")
    func failoverAndRetry() async throws {
        let transport = ScriptedTransport([.noAnswer("refused"), .answer(503, "{}"), .answer(500, "{}"), .answer(200, #"{"id": 4}"#)])
        let body = try await exchange(transport).perform("GET", "schemas/ids/4", about: .init(schemaID: 4))
        #expect(String(decoding: body, as: UTF8.self) == #"{"id": 4}"#)
        #expect(
            transport.requests.map(\.url.absoluteString) == [
                "http://a:1/schemas/ids/4", "http://b:2/schemas/ids/4", "http://a:1/schemas/ids/4", "http://b:2/schemas/ids/4",
            ])
    }

    @Test("A 4xx is final: no other URL, no retry, and the error carries the registry's code and message")
    func clientErrorIsFinal() async throws {
        let transport = ScriptedTransport([.answer(404, #"{"error_code": 40401, "message": "Subject 'o-value' not found."}"#)])
        let error = await #expect(throws: SchemaRegistryError.self) {
            try await exchange(transport).perform(
                "GET", "subjects/o-value/versions/latest", about: .init(subject: "o-value", version: "latest"))
        }
        #expect(transport.requests.count == 1)
        #expect(error?.code == .rejected)
        #expect(error?.httpStatus == 404)
        #expect(error?.registryErrorCode == 40401)
        #expect(error?.message == "Subject 'o-value' not found.")
        #expect(error?.subject == "o-value")
        #expect(error?.version == "latest")
    }

    @Test("When every attempt fails, the last failure is thrown, after 1 + maxRetries rounds")
    func retriesAreBounded() async throws {
        let transport = ScriptedTransport(Array(repeating: .noAnswer("connection refused"), count: 10))
        let error = await #expect(throws: SchemaRegistryError.self) {
            try await exchange(transport, retries: 2).perform("GET", "subjects", about: .init())
        }
        #expect(transport.requests.count == 6)
        #expect(error?.code == .unreachable)
        #expect(error?.message == "connection refused")
        #expect(error?.url == "http://b:2/subjects")
    }

    @Test("Basic credentials go in the Authorization header and in no error")
    func basicAuthorizationHeader() async throws {
        let transport = ScriptedTransport([.answer(401, #"{"error_code": 401, "message": "Unauthorized"}"#)])
        let error = await #expect(throws: SchemaRegistryError.self) {
            try await exchange(transport, authentication: .basic(user: "key", password: "s3cr3t")).perform(
                "GET", "subjects", about: .init())
        }
        let authorization = transport.requests.first?.headers.first { $0.name == "Authorization" }?.value
        #expect(authorization == "Basic " + Data("key:s3cr3t".utf8).base64EncodedString())
        #expect(error.map { "\($0)".contains("s3cr3t") || String(reflecting: $0).contains("s3cr3t") } == false)
    }

    @Test("A bearer provider's token is sent; a provider that throws fails the request without its message")
    func bearerProvider() async throws {
        let transport = ScriptedTransport([.answer(200, "[]")])
        _ = try await exchange(transport, authentication: .bearer { "token-1" }).perform("GET", "subjects", about: .init())
        #expect(transport.requests.first?.headers.contains { $0 == ("Authorization", "Bearer token-1") } == true)
        let failing = ScriptedTransport([])
        let error = await #expect(throws: SchemaRegistryError.self) {
            try await exchange(failing, authentication: .bearer { throw ProviderFailure() }).perform(
                "GET", "subjects", about: .init(subject: "s"))
        }
        #expect(error?.code == .authentication)
        #expect(error?.subject == "s")
        #expect(error?.description.contains("secret-in-provider-error") == false)
        #expect(failing.requests.isEmpty)
    }

    @Test("Subjects are escaped as one path segment")
    func subjectEscaping() {
        #expect("orders/eu value".escapedPathSegment == "orders%2Feu%20value")
        #expect("shop.Order-value_1~".escapedPathSegment == "shop.Order-value_1~")
    }
}
