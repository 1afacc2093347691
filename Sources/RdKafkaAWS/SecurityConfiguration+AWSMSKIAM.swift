public import RdKafka

extension SecurityConfiguration {
    /// AWS MSK with IAM (port 9098), tokens signed here: TLS with the system's trust roots and
    /// SASL/OAUTHBEARER with SigV4-signed `kafka-cluster:Connect` tokens from an
    /// ``MSKIAMTokenProvider``.
    ///
    /// Credentials come from `credentials`: by default the environment, web identity (EKS IRSA),
    /// the shared profile files and the container endpoint (ECS, EKS Pod Identity), in that order.
    /// A token is signed whenever librdkafka asks for one and never outlives its credentials.
    ///
    /// ```swift
    /// configuration.security = .awsMSKIAM(region: "eu-west-1")
    /// ```
    ///
    /// librdkafka settings: `security.protocol=sasl_ssl`, `sasl.mechanisms=OAUTHBEARER`, and the
    /// token refresh event routed to the signer.
    ///
    /// - Parameters:
    ///   - region: The cluster's region, such as `us-east-1`.
    ///   - credentials: Where credentials come from; ``AWSCredentialsChain/default(environment:)`` unless given.
    ///   - tokenLifetime: How long each token is valid; AWS's signers use 900 seconds.
    /// - Returns: The security settings. A region, lifetime or credentials the signer refuses make
    ///   the token refresh fail, which `KafkaProducer/waitUntilConnected(timeout:)` reports
    ///   with the reason.
    public static func awsMSKIAM(
        region: String, credentials: any AWSCredentialsProvider = AWSCredentialsChain.default(),
        tokenLifetime: Duration = MSKIAMTokenSigner.defaultLifetime
    ) -> SecurityConfiguration {
        let provider = MSKIAMTokenProvider(region: region, credentials: credentials, tokenLifetime: tokenLifetime)
        return .awsMSK(tokenProvider: { _ in try await provider.token() })
    }
}
