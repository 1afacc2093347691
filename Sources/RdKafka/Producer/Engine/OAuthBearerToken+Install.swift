import Foundation
internal import RdKafkaBridge

extension OAuthBearerToken {
    /// Hands this token to librdkafka through `client`, taken apart into the plain values the
    /// bridge accepts. Returns librdkafka's refusal, if any, or ours for an expiry that has no
    /// millisecond value (NaN, infinite, too far off).
    func install(on client: ProducerClient) -> KafkaError? {
        guard let expiryMilliseconds = expiry.millisecondsSince1970 else {
            return KafkaError(
                code: .authentication,
                message: "the OAUTHBEARER token's expiry (\(expiry.timeIntervalSince1970) s since 1970) is not a representable time",
                configurationKey: "sasl.mechanisms")
        }
        return client.setOAuthBearerToken(
            value.value,
            lifetimeMilliseconds: expiryMilliseconds,
            principal: principal,
            extensions: extensions.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        ).map(KafkaError.init)
    }
}
