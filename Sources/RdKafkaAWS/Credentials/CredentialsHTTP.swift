import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange with a credentials endpoint through Foundation's URLSession, bounded by a
/// timeout so that every call ends. Errors name the endpoint by scheme, host and port only: a
/// container endpoint's path can be a capability.
enum CredentialsHTTP {
    struct Response {
        var status: Int
        var body: Data
    }

    static func send(_ request: URLRequest, timeout: Duration, source: String) async throws(AWSCredentialsError) -> Response {
        var request = request
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        do {
            let (body, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw AWSCredentialsError(source: source, kind: .failed, reason: "\(origin(of: request.url)) gave no HTTP response")
            }
            return Response(status: http.statusCode, body: body)
        } catch let error as AWSCredentialsError {
            throw error
        } catch let error as URLError {
            throw AWSCredentialsError(
                source: source, kind: .failed, reason: "could not reach \(origin(of: request.url)): \(describe(error.code))")
        } catch {
            throw AWSCredentialsError(source: source, kind: .failed, reason: "could not reach \(origin(of: request.url))")
        }
    }

    /// `scheme://host:port`, never the path or query.
    static func origin(of url: URL?) -> String {
        guard let url, let scheme = url.scheme, let host = url.host else { return "the endpoint" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)\(url.port.map { ":\($0)" } ?? "")"
    }

    private static func describe(_ code: URLError.Code) -> String {
        switch code {
        case .timedOut: return "timed out"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost: return "unknown host"
        case .networkConnectionLost: return "connection lost"
        case .notConnectedToInternet: return "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid:
            return "TLS failed"
        default: return "URL error \(code.rawValue)"
        }
    }
}

/// ISO 8601 expiry times as AWS endpoints write them (`2024-05-01T12:00:00Z`, with or without
/// fractional seconds).
func parseAWSTimestamp(_ text: String) -> Date? {
    if let date = try? Date(text, strategy: .iso8601) { return date }
    return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}
