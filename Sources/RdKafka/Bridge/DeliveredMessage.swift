/// One delivery report, read out of librdkafka's message before the event that holds it is
/// destroyed.
struct DeliveredMessage {
    /// The per-message pointer given at enqueue time.
    var opaque: UnsafeMutableRawPointer?
    /// `nil` when the broker acknowledged the record.
    var error: KafkaError.Code?
    var topic: String
    /// -1 when the record failed before a partition was chosen.
    var partition: Int32
    /// `nil` when the broker gave none (acks=0) or the record failed.
    var offset: Int64?
    /// Milliseconds since 1970, `nil` when unknown.
    var timestampMilliseconds: Int64?
    /// Whether the broker set the timestamp (LogAppendTime) rather than the producer.
    var timestampIsLogAppendTime: Bool
}
