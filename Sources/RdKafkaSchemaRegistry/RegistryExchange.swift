import Foundation
import RdKafka

/// Sends registry requests: the URLs tried in turn, retries with backoff, the credentials, and
/// the registry's error answers turned into ``SchemaRegistryError``.
struct RegistryExchange: Sendable {
    let urls: [URL]
    let transport: any RegistryTransport
    let authentication: SchemaRegistryConfiguration.Authentication
    let retries: RetryPolicy

    /// What a request is about, for its errors.
    struct Topic: Sendable {
        var subject: String?
        var version: String?
        var schemaID: UInt32?
    }

    static let contentType = "application/vnd.schemaregistry.v1+json"

    /// Sends `method` to `path` (already escaped, with its query) on each URL in turn until one
    /// answers 2xx, and returns that body.
    ///
    /// - Throws: ``SchemaRegistryError`` `.rejected` for a 4xx, or the last 5xx once the retries
    ///   are spent; `.unreachable` when no attempt got an answer; `.authentication` when the
    ///   bearer token provider threw.
    func perform(_ method: String, _ path: String, body: Data? = nil, about topic: Topic) async throws -> Data {
        var lastError: SchemaRegistryError?
        for round in 0...max(retries.maxRetries, 0) {
            if round > 0 { try await Task.sleep(for: retries.pause(beforeRound: round)) }
            for base in urls {
                let url = base.appendingPathComponentsAndQuery(path)
                var headers: [(name: String, value: String)] = [("Accept", Self.contentType)]
                if body != nil { headers.append(("Content-Type", Self.contentType)) }
                if let authorization = try await authorizationHeader(about: topic) {
                    headers.append(("Authorization", authorization))
                }
                let response: RegistryResponse
                do {
                    response = try await transport.send(RegistryRequest(method: method, url: url, headers: headers, body: body))
                } catch let failure as TransportFailure {
                    lastError = SchemaRegistryError(
                        code: .unreachable, message: failure.message, subject: topic.subject, version: topic.version,
                        schemaID: topic.schemaID, url: url.absoluteString)
                    continue
                }
                switch RetryPolicy.verdict(forStatus: response.status) {
                case .success:
                    return response.body
                case .retry:
                    lastError = rejection(response, url: url, about: topic)
                case .fail:
                    throw rejection(response, url: url, about: topic)
                }
            }
        }
        throw lastError
            ?? SchemaRegistryError(code: .invalidConfiguration, message: "no registry URL", subject: topic.subject)
    }

    private func authorizationHeader(about topic: Topic) async throws -> String? {
        switch authentication.method {
        case .none:
            return nil
        case .basic(let user, let password):
            return "Basic " + Data("\(user):\(password.value)".utf8).base64EncodedString()
        case .bearer(let provider):
            do {
                return "Bearer " + (try await provider()).value
            } catch {
                // The provider's error is not repeated: it may quote a credential.
                throw SchemaRegistryError(
                    code: .authentication, message: "the bearer token provider threw \(type(of: error))",
                    subject: topic.subject, version: topic.version, schemaID: topic.schemaID)
            }
        }
    }

    private func rejection(_ response: RegistryResponse, url: URL, about topic: Topic) -> SchemaRegistryError {
        let answer = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
        let message =
            answer?.message
            ?? (String(data: response.body.prefix(200), encoding: .utf8).map { $0.isEmpty ? "no message" : $0 } ?? "no message")
        return SchemaRegistryError(
            code: .rejected, message: message, subject: topic.subject, version: topic.version, schemaID: topic.schemaID,
            httpStatus: response.status, registryErrorCode: answer?.errorCode, url: url.absoluteString)
    }

    private struct ErrorBody: Decodable {
        var errorCode: Int?
        var message: String?

        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
            case message
        }
    }
}

extension URL {
    /// This base URL with `pathAndQuery` (escaped, starting without a slash) after its path.
    func appendingPathComponentsAndQuery(_ pathAndQuery: String) -> URL {
        var base = absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + "/" + pathAndQuery) ?? self
    }
}

extension String {
    /// This text as one escaped URL path segment: everything but unreserved characters
    /// percent-encoded, `/` included, as Confluent's clients encode subjects.
    var escapedPathSegment: String {
        addingPercentEncoding(withAllowedCharacters: .registryUnreserved) ?? self
    }
}

extension CharacterSet {
    /// RFC 3986's unreserved characters.
    static let registryUnreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
