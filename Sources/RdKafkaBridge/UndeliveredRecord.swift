internal import CRdKafka

/// What a failed delivery report still holds of its record, copied out of librdkafka's message
/// before the event is destroyed: whether it may have been written, and its contents.
///
/// A class, so that it adds one pointer to every ``DeliveredMessage``: the delivery path copies
/// those messages, and a nil reference costs nothing to copy, where an optional struct of
/// arrays cost every acknowledged record its copying and destroying.
package final class UndeliveredRecord: Sendable {
    /// librdkafka's `rd_kafka_msg_status_t` (see ``NativePersistence``).
    package let persistence: Int32
    package let key: [UInt8]?
    package let value: [UInt8]?
    package let headers: [(name: String, value: [UInt8]?)]
    /// The record's CreateTime in milliseconds since 1970 (given, or the enqueue time), `nil`
    /// when unknown.
    package let timestampMilliseconds: Int64?

    /// Copies `message`'s status, key, value and headers.
    init(reading message: UnsafePointer<rd_kafka_message_t>) {
        persistence = Int32(rd_kafka_message_status(message).rawValue)
        let fields = message.pointee
        key = Self.bytes(fields.key, count: fields.key_len)
        value = Self.bytes(fields.payload, count: fields.len)
        timestampMilliseconds = Self.createTime(of: message)
        headers = Self.headers(of: message)
    }

    private static func headers(of message: UnsafePointer<rd_kafka_message_t>) -> [(name: String, value: [UInt8]?)] {
        var list: OpaquePointer?
        // The message keeps ownership of its headers: they are only read here.
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        let count = rd_kafka_header_cnt(list)
        var headers: [(name: String, value: [UInt8]?)] = []
        headers.reserveCapacity(count)
        for index in 0..<count {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let name else {
                continue
            }
            headers.append((String(cString: name), bytes(value, count: size)))
        }
        return headers
    }

    /// `rd_kafka_message_timestamp` answers "not available" for any message with an error,
    /// although the record's timestamp is still there. The error is cleared for the call and put
    /// back: the message belongs to the delivery event the serving thread holds, and nothing else
    /// reads it meanwhile.
    private static func createTime(of message: UnsafePointer<rd_kafka_message_t>) -> Int64? {
        let writable = UnsafeMutablePointer(mutating: message)
        let error = writable.pointee.err
        writable.pointee.err = RD_KAFKA_RESP_ERR_NO_ERROR
        defer { writable.pointee.err = error }
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || timestamp < 0 ? nil : timestamp
    }

    private static func bytes(_ pointer: UnsafeRawPointer?, count: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// librdkafka's persistence statuses (`rd_kafka_msg_status_t`), for `KafkaError.Persistence`.
package enum NativePersistence {
    package static let notPersisted = Int32(RD_KAFKA_MSG_STATUS_NOT_PERSISTED.rawValue)
    package static let possiblyPersisted = Int32(RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED.rawValue)
    package static let persisted = Int32(RD_KAFKA_MSG_STATUS_PERSISTED.rawValue)
}
