/// A credential: a password, a private key, a token. Its text never appears in `description`,
/// `debugDescription`, `dump`, string interpolation or error messages; only librdkafka sees it.
///
/// ```swift
/// let password: Secret = "s3cr3t"          // from a literal
/// let key = Secret(environmentValue)      // from a string
/// print(password)                          // <redacted>
/// ```
public struct Secret: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The secret's text, for handing to librdkafka (and, within this package, to RdKafkaAWS's
    /// SigV4 signer, which must hash it, and to the registry client's Authorization header);
    /// never public.
    package let value: String

    /// Wraps a secret string.
    public init(_ value: String) {
        self.value = value
    }

    /// Wraps a secret literal.
    public init(stringLiteral value: String) {
        self.value = value
    }

    /// Whether the secret is empty (empty credentials are refused at configuration time).
    public var isEmpty: Bool { value.isEmpty }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
    /// No children, so `dump` and mirrors show nothing either.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
