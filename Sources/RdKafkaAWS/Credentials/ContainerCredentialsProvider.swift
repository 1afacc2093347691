public import Foundation
import RdKafka

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Credentials from the container credentials endpoint: ECS task roles and EKS Pod Identity.
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on `http://169.254.170.2` (ECS);
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole URL, which must be `https` or name a loopback
/// address or the ECS/EKS link-local one (`169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`), so
/// that a mistyped variable cannot send the authorization token elsewhere. The
/// `Authorization` header comes from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on each
/// call, so rotation is seen) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The answer is JSON with
/// `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration`.
public struct ContainerCredentialsProvider: AWSCredentialsProvider {
    private let environment: [String: String]
    private let timeout: Duration

    /// Reads the endpoint and token variables from `environment`.
    ///
    /// - Parameters:
    ///   - environment: The variables; the process's own by default.
    ///   - timeout: How long one request may take before it fails.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = .seconds(5)) {
        self.environment = environment
        self.timeout = timeout
    }

    /// `container endpoint`.
    public var name: String { "container endpoint" }

    /// Fetches credentials from the endpoint.
    ///
    /// - Returns: The temporary credentials and their expiry.
    /// - Throws: ``AWSCredentialsError``: not configured without either URI variable; failed for
    ///   a refused URI, an unreadable token file, an unreachable endpoint, a status other than 200
    ///   (by number) or an answer without the keys.
    public func credentials() async throws -> AWSCredentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let url: URL
        if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            guard let parsed = URL(string: "http://169.254.170.2" + (relative.hasPrefix("/") ? "" : "/") + relative) else {
                throw AWSCredentialsError(source: name, kind: .failed, reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a URL path")
            }
            url = parsed
        } else if let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            guard let parsed = URL(string: full), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
                parsed.host != nil
            else {
                throw AWSCredentialsError(source: name, kind: .failed, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL")
            }
            guard scheme == "https" || Self.isAllowedPlainHost(parsed.host ?? "") else {
                throw AWSCredentialsError(
                    source: name, kind: .failed,
                    reason:
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI names \(CredentialsHTTP.origin(of: parsed)): plain http is allowed only to a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
                )
            }
            url = parsed
        } else {
            throw AWSCredentialsError(
                source: name, kind: .notConfigured,
                reason: "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authorization = try authorizationToken(value) {
            request.setValue(authorization, forHTTPHeaderField: "Authorization")
        }
        let response = try await CredentialsHTTP.send(request, timeout: timeout, source: name)
        guard response.status == 200 else {
            throw AWSCredentialsError(
                source: name, kind: .failed, reason: "\(CredentialsHTTP.origin(of: url)) answered HTTP \(response.status)")
        }
        struct Answer: Decodable {
            var AccessKeyId: String?
            var SecretAccessKey: String?
            var Token: String?
            var Expiration: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body), let accessKeyID = answer.AccessKeyId,
            !accessKeyID.isEmpty, let secret = answer.SecretAccessKey, !secret.isEmpty
        else {
            throw AWSCredentialsError(
                source: name, kind: .failed, reason: "\(CredentialsHTTP.origin(of: url)) answered without AccessKeyId and SecretAccessKey")
        }
        var expiration: Date?
        if let text = answer.Expiration {
            guard let parsed = parseAWSTimestamp(text) else {
                throw AWSCredentialsError(source: name, kind: .failed, reason: "the Expiration '\(text)' is not an ISO 8601 time")
            }
            expiration = parsed
        }
        return AWSCredentials(
            accessKeyID: accessKeyID, secretAccessKey: Secret(secret), sessionToken: answer.Token.flatMap { $0.isEmpty ? nil : Secret($0) },
            expiration: expiration)
    }

    private func authorizationToken(_ value: (String) -> String?) throws -> String? {
        var token = value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if let path = value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AWSCredentialsError(source: name, kind: .failed, reason: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path)")
            }
            token = String(decoding: data, as: UTF8.self).trimmed(" \t\r\n")
        }
        guard let token, !token.isEmpty else { return nil }
        guard !token.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "the container authorization token holds a line break")
        }
        return token
    }

    private static func isAllowedPlainHost(_ host: String) -> Bool {
        let host = host.lowercased().trimmed("[]")
        if host == "localhost" || host == "::1" || host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23" {
            return true
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
