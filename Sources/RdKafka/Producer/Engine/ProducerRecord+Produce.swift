internal import RdKafkaBridge

extension ProducerRecord {
    /// Enqueues this record on `client` with `opaque` as its per-message pointer, taken apart into
    /// the plain values the bridge accepts.
    ///
    /// - Returns: `nil` when librdkafka accepted the record (its delivery report will carry
    ///   `opaque` exactly once), or why it did not (then no report will come).
    func produce(on client: ProducerClient, opaque: UnsafeMutableRawPointer?) -> KafkaError? {
        let timestamp: Int64
        do {
            timestamp = try timestampMilliseconds()
        } catch {
            return error.notPersisted()
        }
        return client.produce(
            topic: topic,
            partition: partition,
            key: key,
            value: value,
            timestampMilliseconds: timestamp,
            headers: headers.isEmpty ? nil : Self.nativeHeaders(headers),
            opaque: opaque
        ).map { KafkaError($0).notPersisted() }
    }

    private static func nativeHeaders(_ headers: [Header]) -> NativeHeaderList {
        let list = NativeHeaderList(capacity: headers.count)
        for header in headers {
            list.append(name: header.name, value: header.value)
        }
        return list
    }
}
