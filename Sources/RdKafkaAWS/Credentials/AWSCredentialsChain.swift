public import Foundation

/// Tries credential sources in order and returns the first one's credentials.
///
/// ``default(environment:)`` is the order AWS's SDKs use for what this library supports:
/// the environment, web identity, the shared profile files, the container endpoint. When every
/// source fails, the error names each one's failure in order.
public struct AWSCredentialsChain: AWSCredentialsProvider {
    /// The sources, in the order tried.
    public let providers: [any AWSCredentialsProvider]

    /// A chain of `providers`, tried in order.
    ///
    /// - Parameter providers: The sources.
    public init(_ providers: [any AWSCredentialsProvider]) {
        self.providers = providers
    }

    /// The environment, web identity, the profile files, the container endpoint: AWS's usual
    /// order (EC2 instance metadata is not among them).
    ///
    /// - Parameter environment: The variables every source reads; the process's own by default.
    /// - Returns: The chain.
    public static func `default`(environment: [String: String] = ProcessInfo.processInfo.environment) -> AWSCredentialsChain {
        AWSCredentialsChain([
            EnvironmentCredentialsProvider(environment: environment),
            WebIdentityCredentialsProvider(environment: environment),
            ProfileCredentialsProvider(environment: environment),
            ContainerCredentialsProvider(environment: environment),
        ])
    }

    /// `credential chain (<source>, <source>, …)`.
    public var name: String { "credential chain (\(providers.map(\.name).joined(separator: ", ")))" }

    /// The first source's credentials that gives any.
    ///
    /// - Returns: Those credentials.
    /// - Throws: ``AWSCredentialsError`` with every source's failure in ``AWSCredentialsError/failures``;
    ///   its kind is ``AWSCredentialsError/Kind/notConfigured`` when no source was configured at all.
    public func credentials() async throws -> AWSCredentials {
        var failures: [AWSCredentialsError] = []
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch let error as AWSCredentialsError {
                failures.append(error)
            } catch {
                failures.append(AWSCredentialsError(source: provider.name, kind: .failed, reason: "\(error)"))
            }
        }
        let allUnconfigured = failures.allSatisfy { $0.kind == .notConfigured }
        throw AWSCredentialsError(
            source: "the credential chain", kind: allUnconfigured ? .notConfigured : .failed,
            reason: allUnconfigured ? "no source is configured" : "no source gave credentials", failures: failures)
    }
}
