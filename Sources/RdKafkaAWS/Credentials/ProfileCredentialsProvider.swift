public import Foundation
import RdKafka

/// Credentials from a profile of the shared credentials and config files.
///
/// The profile is the one given, else `AWS_PROFILE`, else `default`. The files are
/// `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`, sections `[name]`) and
/// `AWS_CONFIG_FILE` (default `~/.aws/config`, sections `[profile name]` and `[default]`); where
/// both set a key for the profile, the credentials file wins, as in the AWS CLI. The files are
/// read on every call, so rotated keys are picked up.
///
/// Profiles with `aws_access_key_id`, `aws_secret_access_key` and optionally
/// `aws_session_token` are read. Profiles that get credentials another way
/// (`credential_process`, `role_arn`, `sso_session`/`sso_start_url`, `web_identity_token_file`)
/// are refused with ``AWSCredentialsError/Kind/unsupported``, naming the key: this library runs no
/// commands and assumes no roles from profiles (``WebIdentityCredentialsProvider`` covers the
/// environment's web identity).
public struct ProfileCredentialsProvider: AWSCredentialsProvider {
    /// The profile's name.
    public let profile: String
    private let credentialsFile: String
    private let configFile: String

    /// Reads `profile` from the shared files that `environment` points at.
    ///
    /// - Parameters:
    ///   - profile: The profile; `AWS_PROFILE` or `default` when `nil`.
    ///   - environment: The variables naming the profile and the files; the process's own by default.
    public init(profile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        self.profile = profile ?? value("AWS_PROFILE") ?? "default"
        let home = value("HOME") ?? NSHomeDirectory()
        func expand(_ path: String) -> String { path.hasPrefix("~/") ? home + path.dropFirst() : path }
        credentialsFile = expand(value("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        configFile = expand(value("AWS_CONFIG_FILE") ?? "~/.aws/config")
    }

    /// `profile <name>`.
    public var name: String { "profile \(profile)" }

    /// The profile's keys.
    ///
    /// - Returns: The access key, its secret and the session token if the profile has one.
    /// - Throws: ``AWSCredentialsError``: not configured when neither file has the profile;
    ///   failed for a file that cannot be read or parsed (by line number) or keys missing;
    ///   unsupported for `credential_process` and the other ways named above.
    public func credentials() async throws -> AWSCredentials {
        let fromCredentials = try section(in: credentialsFile, named: [profile])
        let fromConfig = try section(in: configFile, named: profile == "default" ? ["default", "profile default"] : ["profile \(profile)"])
        guard fromCredentials != nil || fromConfig != nil else {
            throw AWSCredentialsError(
                source: name, kind: .notConfigured, reason: "no profile '\(profile)' in \(credentialsFile) or \(configFile)")
        }
        let keys = (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsFileValue in credentialsFileValue }
        if let accessKeyID = keys["aws_access_key_id"], !accessKeyID.isEmpty {
            guard let secret = keys["aws_secret_access_key"], !secret.isEmpty else {
                throw AWSCredentialsError(
                    source: name, kind: .failed, reason: "profile '\(profile)' has aws_access_key_id but no aws_secret_access_key")
            }
            let token = keys["aws_session_token"].flatMap { $0.isEmpty ? nil : Secret($0) }
            return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: Secret(secret), sessionToken: token)
        }
        for key in ["credential_process", "role_arn", "sso_session", "sso_start_url", "web_identity_token_file"] where keys[key] != nil {
            throw AWSCredentialsError(
                source: name, kind: .unsupported,
                reason:
                    "profile '\(profile)' gets its credentials through \(key), which this library does not run; give it aws_access_key_id and aws_secret_access_key, or pass your own AWSCredentialsProvider"
            )
        }
        throw AWSCredentialsError(source: name, kind: .failed, reason: "profile '\(profile)' has no aws_access_key_id")
    }

    /// The first of `names` that `path` has as a section; `nil` when the file or the sections are absent.
    private func section(in path: String, named names: [String]) throws -> [String: String]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "cannot read \(path)")
        }
        let file: ProfileFile
        do {
            file = try ProfileFile(parsing: String(decoding: data, as: UTF8.self))
        } catch {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "\(path) line \(error.line) is not '[section]' or 'key = value'")
        }
        return names.lazy.compactMap { file.sections[$0] }.first
    }
}
