/// Why credentials could not be had: which source, and why, never a secret.
///
/// A chain's error (``AWSCredentialsChain``) lists every source it tried in ``failures``, in order.
public struct AWSCredentialsError: Error, Sendable, Hashable {
    /// Whether the source was not configured at all (its variables or files absent) or was
    /// configured and failed.
    public enum Kind: Sendable, Hashable {
        /// Nothing configures this source (no variable set, no file, no profile of that name).
        case notConfigured
        /// The source is configured but its credentials could not be had: a file without a
        /// secret, an endpoint that refused, a response that does not parse.
        case failed
        /// The source names a way to get credentials this library does not run (for example
        /// `credential_process` in a profile).
        case unsupported
    }

    /// The source, as ``AWSCredentialsProvider/name`` spells it (`environment`, `profile dev`, …).
    public var source: String
    /// What kind of failure.
    public var kind: Kind
    /// Why, in words; never a secret.
    public var reason: String
    /// For a chain: each source's own error, in the order tried. Empty otherwise.
    public var failures: [AWSCredentialsError]

    /// Creates an error for `source`.
    ///
    /// - Parameters:
    ///   - source: The source's name.
    ///   - kind: Whether the source was not configured, failed or is not supported.
    ///   - reason: Why, in words; must not hold a secret.
    ///   - failures: For a chain, each source's error in order.
    public init(source: String, kind: Kind, reason: String, failures: [AWSCredentialsError] = []) {
        self.source = source
        self.kind = kind
        self.reason = reason
        self.failures = failures
    }
}

extension AWSCredentialsError: CustomStringConvertible {
    /// `source: reason`, and for a chain each source's failure after it.
    public var description: String {
        var text = "AWS credentials from \(source): \(reason)"
        for failure in failures {
            text += "; \(failure.source): \(failure.reason)"
        }
        return text
    }
}
