/// Why an MSK IAM token could not be signed: a region or lifetime the signer refuses, or
/// credentials it cannot use. Never holds a secret.
public struct MSKIAMSigningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, in words.
    public var reason: String

    /// Creates an error with `reason`, which must not hold a secret.
    public init(reason: String) {
        self.reason = reason
    }

    /// `MSK IAM signing: <reason>`.
    public var description: String { "MSK IAM signing: \(reason)" }
}
