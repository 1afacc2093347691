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
        let timestamp: Int64
        do {
            timestamp = try record.timestampMilliseconds()
        } catch {
            return error.notPersisted()
        }
        return produce(
            topic: record.topic,
            partition: record.partition,
            key: record.key,
            value: record.value,
            timestampMilliseconds: timestamp,
            headers: record.headers.isEmpty ? nil : Self.headerList(record.headers),
            opaque: opaque
        ).map { KafkaError($0).notPersisted() }
    }

    private static func headerList(_ headers: [ProducerRecord.Header]) -> NativeHeaderList {
        let list = NativeHeaderList(capacity: headers.count)
        for header in headers {
            list.append(name: header.name, value: header.value)
        }
        return list
    }

    /// Hands librdkafka an OAUTHBEARER token; returns librdkafka's refusal, if any, or ours for
    /// an expiry that has no millisecond value (NaN, infinite, too far off).
    func setOAuthBearerToken(_ token: OAuthBearerToken) -> KafkaError? {
        guard let expiry = token.expiry.millisecondsSince1970 else {
            return KafkaError(
                code: .authentication,
                message: "the OAUTHBEARER token's expiry (\(token.expiry.timeIntervalSince1970) s since 1970) is not a representable time",
                configurationKey: "sasl.mechanisms")
        }
        return setOAuthBearerToken(
            token.value.value,
            lifetimeMilliseconds: expiry,
            principal: token.principal,
            extensions: token.extensions.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        ).map(KafkaError.init)
    }
}
