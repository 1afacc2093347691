/// The librdkafka keys newer than the oldest librdkafka the package runs with (2.0.2), each with
/// the release that introduced it, so that a library without one is refused naming the release
/// to install rather than with librdkafka's bare "No such configuration property", or for a
/// missing build feature when the release is what is missing.
package enum NewerConfigurationKeys {
    /// The release that introduced `key`, or `nil` for a key 2.0.2 has or librdkafka never had.
    package static func introduction(of key: String) -> String? {
        if key.hasPrefix("sasl.oauthbearer.assertion.") { return "2.11.0" }
        return introductions[key]
    }

    private static let introductions: [String: String] = [
        "https.ca.location": "2.11.0",
        "https.ca.pem": "2.11.0",
        "sasl.oauthbearer.grant.type": "2.11.0",
        "sasl.oauthbearer.client.credentials.client.id": "2.11.0",
        "sasl.oauthbearer.client.credentials.client.secret": "2.11.0",
        "sasl.oauthbearer.metadata.authentication.type": "2.12.0",
        "sasl.oauthbearer.sub.claim.name": "2.14.0",
    ]

    /// The refusal of `key`, which the librdkafka loaded does not have; `reason` is librdkafka's.
    static func refusal(of key: String, reason: String) -> String {
        guard let release = introduction(of: key) else { return reason }
        return "'\(key)' needs librdkafka \(release) or later, but the librdkafka loaded is \(NativeLibrary.version)"
    }
}
