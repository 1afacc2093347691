public import RdKafka

/// Where a ``SchemaRegistryClient`` finds the registry and how it talks to it.
///
/// ```swift
/// var configuration = SchemaRegistryConfiguration(urls: ["https://psrc-123.europe-west3.gcp.confluent.cloud"])
/// configuration.authentication = .basic(user: apiKey, password: Secret(apiSecret))
/// ```
public struct SchemaRegistryConfiguration: Sendable {
    /// The registry's base URLs, `http` or `https`. Every request goes to the first; when it
    /// cannot be reached or answers 5xx, the next is tried, in turn.
    public var urls: [String]
    /// How requests prove who sends them. None by default.
    public var authentication: Authentication = .none
    /// TLS settings for `https` URLs: the trusted roots and a client identity, typed as the
    /// producer's. The system's trust store and no client certificate by default.
    public var tls = TLS()
    /// How long one request may take, connecting included. 30 seconds by default. On Linux,
    /// requests through `URLSession` (the system's trust store, no client certificate) count
    /// whole seconds, so the timeout is rounded up to one there.
    public var requestTimeout: Duration = .seconds(30)
    /// How many times a request that found no registry answering, or only 5xx answers, goes
    /// round the URLs again. 3 by default; 0 tries each URL once.
    public var maxRetries: Int = 3
    /// The pause before the first retry; each following pause doubles, up to
    /// ``maxRetryBackoff``. 100 ms by default.
    public var retryBackoff: Duration = .milliseconds(100)
    /// The longest pause between retries. 2 seconds by default.
    public var maxRetryBackoff: Duration = .seconds(2)

    /// Creates a configuration for the registry at `urls`.
    ///
    /// - Parameter urls: Base URLs such as `http://localhost:8081`, tried in turn.
    public init(urls: [String]) {
        self.urls = urls
    }

    /// The credentials sent with every request.
    public struct Authentication: Sendable {
        enum Method: Sendable {
            case none
            case basic(user: String, password: Secret)
            case bearer(@Sendable () async throws -> Secret)
        }

        let method: Method

        /// No `Authorization` header.
        public static let none = Authentication(method: .none)

        /// HTTP basic authentication: on Confluent Cloud, the API key and its secret.
        ///
        /// - Parameters:
        ///   - user: The user name or API key.
        ///   - password: The password or API secret; never shown in a description or error.
        public static func basic(user: String, password: Secret) -> Authentication {
            Authentication(method: .basic(user: user, password: password))
        }

        /// A bearer token from `provider`, asked before every request so that it can renew
        /// the token when it expires (and cache it in between).
        ///
        /// - Parameter provider: Returns the current token; an error it throws fails the
        ///   request with ``SchemaRegistryError/Code/authentication``.
        public static func bearer(_ provider: @escaping @Sendable () async throws -> Secret) -> Authentication {
            Authentication(method: .bearer(provider))
        }
    }

    /// TLS for `https` registry URLs.
    ///
    /// On Linux, Foundation's `URLSession` trusts only the system's store and cannot present a
    /// client certificate, so when either setting differs from the default the client sends its
    /// requests through the system's libcurl (the library `URLSession` uses there) with these
    /// settings instead.
    public struct TLS: Sendable, Hashable {
        /// The certificate authorities the registry's certificate must chain to.
        public var trustRoots: TLSConfiguration.TrustRoots = .system
        /// A client certificate and key for registries that require mutual TLS.
        public var clientIdentity: TLSConfiguration.ClientIdentity?
        /// How strictly the registry's certificate is checked: chain and host name by default.
        public var verification: TLSConfiguration.Verification = .full

        /// Creates TLS settings.
        public init(
            trustRoots: TLSConfiguration.TrustRoots = .system,
            clientIdentity: TLSConfiguration.ClientIdentity? = nil,
            verification: TLSConfiguration.Verification = .full
        ) {
            self.trustRoots = trustRoots
            self.clientIdentity = clientIdentity
            self.verification = verification
        }

        /// Whether these settings are what `URLSession` does on its own.
        var isDefault: Bool { self == TLS() }
    }
}
