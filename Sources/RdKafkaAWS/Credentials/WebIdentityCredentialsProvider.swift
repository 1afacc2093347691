public import Foundation
import RdKafka

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Credentials for a role assumed with a web identity token: EKS IAM roles for service accounts
/// (IRSA) and any OIDC federation.
///
/// The token is read from `AWS_WEB_IDENTITY_TOKEN_FILE` on every call (EKS rotates it) and sent
/// with `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` (default `swift-rdkafka-<seconds>`) to STS's
/// `AssumeRoleWithWebIdentity`, which needs no AWS credentials. The STS endpoint is the one
/// given, else `AWS_ENDPOINT_URL_STS`, else `https://sts.<AWS_REGION or AWS_DEFAULT_REGION>.amazonaws.com`
/// (`.amazonaws.com.cn` for China's regions), else the global `https://sts.amazonaws.com`.
public struct WebIdentityCredentialsProvider: AWSCredentialsProvider {
    private let roleARN: String?
    private let tokenFile: String?
    private let sessionName: String?
    private let endpoint: String
    private let timeout: Duration

    /// Assumes `roleARN` with the token in `tokenFile`; either falls back to the environment.
    ///
    /// - Parameters:
    ///   - roleARN: The role; `AWS_ROLE_ARN` when `nil`.
    ///   - tokenFile: The token's file; `AWS_WEB_IDENTITY_TOKEN_FILE` when `nil`.
    ///   - sessionName: The role session name; `AWS_ROLE_SESSION_NAME`, else `swift-rdkafka-<seconds>`.
    ///   - stsEndpoint: The STS endpoint URL; see the type's description for the default.
    ///   - environment: The variables; the process's own by default.
    ///   - timeout: How long the STS request may take before it fails.
    public init(
        roleARN: String? = nil, tokenFile: String? = nil, sessionName: String? = nil, stsEndpoint: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = .seconds(10)
    ) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        self.roleARN = roleARN ?? value("AWS_ROLE_ARN")
        self.tokenFile = tokenFile ?? value("AWS_WEB_IDENTITY_TOKEN_FILE")
        self.sessionName = sessionName ?? value("AWS_ROLE_SESSION_NAME")
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION")
        self.endpoint =
            stsEndpoint ?? value("AWS_ENDPOINT_URL_STS") ?? region.map {
                "https://sts.\($0).amazonaws.com\($0.hasPrefix("cn-") ? ".cn" : "")"
            } ?? "https://sts.amazonaws.com"
        self.timeout = timeout
    }

    /// `web identity`.
    public var name: String { "web identity" }

    /// Assumes the role and returns its temporary credentials.
    ///
    /// - Returns: The role's credentials and their expiry.
    /// - Throws: ``AWSCredentialsError``: not configured without a token file and role; failed
    ///   when one of the two is missing, the token file cannot be read, STS cannot be reached,
    ///   or STS refuses (its error code and message).
    public func credentials() async throws -> AWSCredentials {
        guard tokenFile != nil || roleARN != nil else {
            throw AWSCredentialsError(
                source: name, kind: .notConfigured, reason: "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set")
        }
        guard let tokenFile else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
        }
        guard let roleARN else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        }
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "cannot read the web identity token file \(tokenFile)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmed(" \t\r\n")
        guard !token.isEmpty else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "the web identity token file \(tokenFile) is empty")
        }
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "the STS endpoint '\(endpoint)' is not an http(s) URL")
        }
        let session = sessionName ?? "swift-rdkafka-\(Int(Date().timeIntervalSince1970))"
        // POST, so the token travels in the body rather than in a URL that proxies may log.
        let form: [(String, String)] = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", session),
            ("WebIdentityToken", token),
        ]
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(
            form.map { "\(SigV4QueryPresigner.percentEncode($0.0))=\(SigV4QueryPresigner.percentEncode($0.1))" }.joined(separator: "&").utf8
        )
        let response = try await CredentialsHTTP.send(request, timeout: timeout, source: name)
        let xml = String(decoding: response.body, as: UTF8.self)
        guard response.status == 200 else {
            let code = STSResponse.text(of: "Code", in: xml) ?? "HTTP \(response.status)"
            let message = STSResponse.text(of: "Message", in: xml).map { ": \($0)" } ?? ""
            throw AWSCredentialsError(
                source: name, kind: .failed,
                reason: "STS at \(CredentialsHTTP.origin(of: url)) refused AssumeRoleWithWebIdentity for \(roleARN): \(code)\(message)")
        }
        guard let credentials = STSResponse.content(of: "Credentials", in: xml),
            let accessKeyID = STSResponse.text(of: "AccessKeyId", in: credentials),
            let secret = STSResponse.text(of: "SecretAccessKey", in: credentials), !accessKeyID.isEmpty, !secret.isEmpty
        else {
            throw AWSCredentialsError(
                source: name, kind: .failed, reason: "STS's answer has no Credentials with AccessKeyId and SecretAccessKey")
        }
        let expiration = STSResponse.text(of: "Expiration", in: credentials)
        let parsedExpiration = expiration.flatMap(parseAWSTimestamp)
        if let expiration, parsedExpiration == nil {
            throw AWSCredentialsError(source: name, kind: .failed, reason: "STS's Expiration '\(expiration)' is not an ISO 8601 time")
        }
        return AWSCredentials(
            accessKeyID: accessKeyID, secretAccessKey: Secret(secret),
            sessionToken: STSResponse.text(of: "SessionToken", in: credentials).flatMap { $0.isEmpty ? nil : Secret($0) },
            expiration: parsedExpiration)
    }
}
