import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request to one registry URL.
struct RegistryRequest: Sendable {
    var method: String
    var url: URL
    var headers: [(name: String, value: String)]
    var body: Data?
}

/// The registry's answer: any status, with its body.
struct RegistryResponse: Sendable {
    var status: Int
    var body: Data
}

/// No HTTP answer came: connection refused, TLS failure, timeout.
struct TransportFailure: Error {
    var message: String
}

/// Sends one request and returns the answer, or throws ``TransportFailure`` when none came.
protocol RegistryTransport: Sendable {
    func send(_ request: RegistryRequest) async throws -> RegistryResponse

    /// Releases what the transport holds, once its client is gone.
    func close()
}

/// Foundation's URLSession: the transport for the system's trust store and no client
/// certificate, on every platform.
struct URLSessionTransport: RegistryTransport {
    let session: URLSession
    let timeout: TimeInterval

    init(timeout: Duration) {
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = Self.timeoutInterval(for: timeout)
        self.timeout = seconds
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        // Credentials go in the Authorization header the client sets; no cookie or cache may
        // keep an answer or a credential.
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.urlCredentialStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// Lets requests under way finish, then releases the session, which would otherwise live
    /// as long as the process.
    func close() {
        session.finishTasksAndInvalidate()
    }

    /// The interval URLSession is given for `timeout`. On Linux, swift-corelibs-foundation hands
    /// libcurl whole seconds, truncated, and a request given 0 times out at once: so the
    /// timeout is rounded up to a whole second there, at least 1.
    static func timeoutInterval(for timeout: Duration) -> TimeInterval {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        #if canImport(FoundationNetworking)
            return max(1, seconds.rounded(.up))
        #else
            return seconds
        #endif
    }

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        // Set on the request too: swift-corelibs-foundation applies the request's own interval
        // (60 s unless set) and ignores the configuration's.
        urlRequest.timeoutInterval = timeout
        for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = request.body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            throw TransportFailure(message: (error as NSError).localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else {
            throw TransportFailure(message: "the answer is not HTTP")
        }
        return RegistryResponse(status: http.statusCode, body: data)
    }
}
