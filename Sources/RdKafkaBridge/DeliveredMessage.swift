/// One delivery report, read out of librdkafka's message before the event that holds it is
/// destroyed.
package struct DeliveredMessage {
    /// The per-message pointer given at enqueue time.
    package var opaque: UnsafeMutableRawPointer?
    /// librdkafka's error code, `nil` when the broker acknowledged the record.
    package var errorCode: Int32?
    package var topic: String
    /// -1 when the record failed before a partition was chosen.
    package var partition: Int32
    /// `nil` when the broker gave none (acks=0) or the record failed.
    package var offset: Int64?
    /// Milliseconds since 1970, `nil` when unknown.
    package var timestampMilliseconds: Int64?
    /// Whether the broker set the timestamp (LogAppendTime) rather than the producer.
    package var timestampIsLogAppendTime: Bool
    /// The record's contents and persistence status, copied only when it failed (`errorCode`
    /// set), so that an acknowledged record costs nothing for them.
    package var undelivered: UndeliveredRecord?
}
