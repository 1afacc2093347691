public import Foundation
import RdKafka

/// Credentials from the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for
/// temporary credentials, `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialsProvider: AWSCredentialsProvider {
    private let environment: [String: String]

    /// Reads the variables from `environment`.
    ///
    /// - Parameter environment: The variables; the process's own by default.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// `environment`.
    public var name: String { "environment" }

    /// The credentials the variables hold.
    ///
    /// - Returns: The access key, its secret and the session token if set.
    /// - Throws: ``AWSCredentialsError``: not configured without `AWS_ACCESS_KEY_ID`; failed when
    ///   the access key is set without its secret.
    public func credentials() async throws -> AWSCredentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let accessKeyID = value("AWS_ACCESS_KEY_ID") else {
            throw AWSCredentialsError(source: name, kind: .notConfigured, reason: "AWS_ACCESS_KEY_ID is not set")
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw AWSCredentialsError(
                source: name, kind: .failed, reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        return AWSCredentials(
            accessKeyID: accessKeyID, secretAccessKey: Secret(secret), sessionToken: value("AWS_SESSION_TOKEN").map { Secret($0) })
    }
}
