import CRegistryCurl
import Foundation
import RdKafka

/// The system's libcurl, for TLS settings URLSession cannot take on Linux: trust roots from a
/// file or PEM text, a client certificate and key, relaxed verification.
///
/// `curl_easy_perform` blocks, so each request runs on a thread of its own, off Swift's
/// cooperative pool; the request's timeout bounds it.
struct CurlTransport: RegistryTransport {
    let tls: SchemaRegistryConfiguration.TLS
    let timeout: Duration

    /// Nothing to release: each request opens and closes its own handle.
    func close() {}

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        let tls = tls
        let milliseconds = max(1, Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000))
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.perform(request, tls: tls, timeoutMilliseconds: milliseconds) })
            }
        }
    }

    private static func perform(
        _ request: RegistryRequest, tls: SchemaRegistryConfiguration.TLS, timeoutMilliseconds: Int
    ) throws -> RegistryResponse {
        // Every C string lives in this array of owned buffers until the call returns.
        var strings = CStrings()
        defer { strings.free() }
        let headerLines: [UnsafePointer<CChar>?] = request.headers.map { strings.make("\($0.name): \($0.value)") }
        var response = registry_curl_response()
        let body = request.body ?? Data()
        let status: Int32 = headerLines.withUnsafeBufferPointer { headers in
            body.withUnsafeBytes { bytes in
                var curlRequest = registry_curl_request()
                curlRequest.method = strings.make(request.method)
                curlRequest.url = strings.make(request.url.absoluteString)
                curlRequest.headers = headers.baseAddress
                curlRequest.header_count = headers.count
                curlRequest.body = request.body == nil ? nil : bytes.baseAddress
                curlRequest.body_length = bytes.count
                curlRequest.timeout_milliseconds = timeoutMilliseconds
                switch tls.trustRoots.source {
                case .system: break
                case .file(let path): curlRequest.trust_roots.file = strings.make(path)
                case .pem(let text): curlRequest.trust_roots.text = strings.make(text)
                }
                switch tls.clientIdentity?.source {
                case nil: break
                case .certificateAndKey(let certificate, let key, let keyPassword):
                    switch certificate {
                    case .file(let path): curlRequest.client_certificate.file = strings.make(path)
                    case .pem(let text): curlRequest.client_certificate.text = strings.make(text)
                    }
                    switch key {
                    case .file(let path): curlRequest.client_key.file = strings.make(path)
                    case .pem(let secret): curlRequest.client_key.text = strings.make(secret.value)
                    }
                    if let keyPassword { curlRequest.key_password = strings.make(keyPassword.value) }
                case .pkcs12(let path, let password):
                    // libcurl reads certificate and key from the keystore the password opens.
                    curlRequest.client_certificate.file = strings.make(path)
                    curlRequest.client_certificate_type = strings.make("P12")
                    curlRequest.key_password = strings.make(password.value)
                }
                curlRequest.verify_chain = tls.verification.verifiesChain ? 1 : 0
                curlRequest.verify_host = tls.verification.verifiesHostname ? 1 : 0
                return registry_curl_perform(&curlRequest, &response)
            }
        }
        defer { registry_curl_free(&response) }
        guard status == 0 else {
            let message = withUnsafeBytes(of: response.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw TransportFailure(message: message)
        }
        let data = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
        return RegistryResponse(status: response.status, body: data)
    }
}

/// C strings owned until `free`: libcurl reads them only during the call.
private struct CStrings {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    mutating func make(_ text: String) -> UnsafePointer<CChar> {
        let bytes = Array(text.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        pointers.append(pointer)
        return UnsafePointer(pointer)
    }

    mutating func free() {
        for pointer in pointers { pointer.deallocate() }
        pointers.removeAll()
    }
}
