import Foundation
internal import RdKafkaBridge

/// The calls of the bridge's ``ProducerClient`` that take this module's types, taken apart into
/// the plain values the bridge accepts.
extension ProducerClient {
    /// Enqueues `record` with `opaque` as its per-message pointer.
    ///
    /// - Returns: `nil` when librdkafka accepted the record (its delivery report will carry
    ///   `opaque` exactly once), or why it did not (then no report will come).
    func produce(_ record: ProducerRecord, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        produce(
            topic: record.topic,
            partition: record.partition,
            key: record.key,
            value: record.value,
            timestampMilliseconds: record.timestampMilliseconds,
            headers: record.headers,
            opaque: opaque
        ).map(KafkaError.init)
    }

    /// Hands librdkafka an OAUTHBEARER token; returns librdkafka's refusal, if any.
    func setOAuthBearerToken(_ token: OAuthBearerToken) -> KafkaError? {
        setOAuthBearerToken(
            token.value.value,
            lifetimeMilliseconds: Int64((token.expiry.timeIntervalSince1970 * 1000).rounded()),
            principal: token.principal,
            extensions: token.extensions.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        ).map(KafkaError.init)
    }
}

extension ProducerRecord.Header: NativeHeader {}
