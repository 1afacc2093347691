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

/// What the drain thread hands over, on its own thread, one call per event.
protocol EventDrainDelegate: AnyObject, Sendable {
    /// A batch of reports from one event; the buffer is valid only during the call.
    func deliver(_ messages: UnsafeMutableBufferPointer<DeliveredMessage>)
    /// The event holding `count` reports was destroyed, so that much room is free in the queue.
    func queueRoomFreed(count: Int)
    /// A log line from librdkafka, with its syslog level (0 emergency … 7 debug).
    func log(level: Int32, facility: String, message: String)
    /// An error event: usually transient (a broker connection dropped), fatal if `error.isFatal`.
    func clientError(_ error: KafkaError)
    /// librdkafka needs an OAUTHBEARER token; `configuration` is `sasl.oauthbearer.config`.
    func oauthBearerTokenRefresh(configuration: String?)
    /// A statistics JSON document (`statistics.interval.ms`).
    func statistics(_ json: String)
    /// How long the next poll may block: -1 for as long as needed (woken by events or a
    /// ``EventDrain/wake()``), otherwise the time to the earliest deadline a waiter has.
    func nextPollTimeoutMilliseconds() -> Int32
    /// Called after every poll, event or not, so deadlines can be checked.
    func afterPoll()
}
