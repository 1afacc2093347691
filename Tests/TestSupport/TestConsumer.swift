import CRdKafka
import Foundation

/// A record as an independent reader sees it on the broker.
public struct ConsumedRecord: Equatable, Sendable {
    /// The partition it was read from.
    public var partition: Int32
    /// Its offset there.
    public var offset: Int64
    /// Its key; `nil` for none.
    public var key: [UInt8]?
    /// Its value; `nil` for a tombstone.
    public var value: [UInt8]?
    /// Its headers, in order.
    public var headers: [ConsumedHeader]
    /// Its timestamp in milliseconds since 1970.
    public var timestampMilliseconds: Int64
}

/// A header as read back.
public struct ConsumedHeader: Equatable, Sendable {
    /// The header's name.
    public var name: String
    /// Its value; `nil` for none.
    public var value: [UInt8]?

    /// Creates a header to compare with.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// Reads a topic back from the beginning with librdkafka's consumer (the C API, not our
/// producer code), on a thread of its own so that its blocking poll never holds a thread of the
/// cooperative pool.
public enum TestConsumer {
    /// Reads `topic`'s partitions from the beginning until `count` records arrived or `timeout`
    /// passed; `properties` adds librdkafka settings (security, for example). With `readToEnd`
    /// it goes on past `count` until every partition is at its end, so extra records
    /// (duplicates) are seen too.
    public static func consume(
        topic: String,
        partitions: Int32,
        bootstrapServers: String,
        expecting count: Int,
        readToEnd: Bool = false,
        isolation: String = "read_uncommitted",
        properties: [String: String] = [:],
        timeout: Duration = .seconds(30)
    ) async throws -> [ConsumedRecord] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try consumeBlocking(
                            topic: topic, partitions: partitions, bootstrapServers: bootstrapServers,
                            expecting: count, readToEnd: readToEnd, isolation: isolation, properties: properties, timeout: timeout
                        )
                    })
            }
        }
    }

    /// Why reading back failed.
    public struct Failure: Error, CustomStringConvertible {
        /// The reason.
        public var description: String
    }

    private static func consumeBlocking(
        topic: String,
        partitions: Int32,
        bootstrapServers: String,
        expecting count: Int,
        readToEnd: Bool,
        isolation: String,
        properties: [String: String],
        timeout: Duration
    ) throws -> [ConsumedRecord] {
        let conf = rd_kafka_conf_new()!
        var reason = [CChar](repeating: 0, count: 512)
        for (key, value) in [
            ("bootstrap.servers", bootstrapServers), ("group.id", "test-reader"),
            ("enable.auto.commit", "false"), ("isolation.level", isolation), ("log_level", "0"),
            ("enable.partition.eof", readToEnd ? "true" : "false"),
        ] + properties.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_conf_set(conf, key, value, &reason, reason.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw Failure(
                    description:
                        "consumer config \(key): \(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
                )
            }
        }
        guard let consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &reason, reason.count) else {
            throw Failure(
                description: "consumer: \(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        defer {
            rd_kafka_consumer_close(consumer)
            rd_kafka_destroy(consumer)
        }
        rd_kafka_poll_set_consumer(consumer)
        let assignment = rd_kafka_topic_partition_list_new(partitions)!
        defer { rd_kafka_topic_partition_list_destroy(assignment) }
        for partition in 0..<partitions {
            rd_kafka_topic_partition_list_add(assignment, topic, partition).pointee.offset = crdkafka_offset_beginning()
        }
        rd_kafka_assign(consumer, assignment)

        var records: [ConsumedRecord] = []
        let deadline = ContinuousClock.now + timeout
        // Partitions whose end the consumer reached and that have shown nothing since: an end
        // seen early (before every record was readable) is undone by the next record.
        var partitionsAtEnd = Set<Int32>()
        func done() -> Bool {
            records.count >= count && (!readToEnd || partitionsAtEnd.count == Int(partitions))
        }
        while !done(), ContinuousClock.now < deadline {
            guard let message = rd_kafka_consumer_poll(consumer, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            let fields = message.pointee
            if fields.err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                partitionsAtEnd.insert(fields.partition)
                continue
            }
            guard fields.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw Failure(description: "consume: \(String(cString: rd_kafka_err2str(fields.err)))")
            }
            partitionsAtEnd.remove(fields.partition)
            records.append(read(message))
        }
        return records
    }

    private static func read(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> ConsumedRecord {
        let fields = message.pointee
        func bytes(_ pointer: UnsafeMutableRawPointer?, _ length: Int) -> [UInt8]? {
            guard let pointer else { return nil }
            return Array(UnsafeRawBufferPointer(start: pointer, count: length))
        }
        var headers: [ConsumedHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(
                    ConsumedHeader(
                        name: String(cString: name!),
                        value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                    ))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        return ConsumedRecord(
            partition: fields.partition,
            offset: fields.offset,
            key: bytes(fields.key, fields.key_len),
            value: bytes(fields.payload, fields.len),
            headers: headers,
            timestampMilliseconds: rd_kafka_message_timestamp(message, &timestampType)
        )
    }
}
