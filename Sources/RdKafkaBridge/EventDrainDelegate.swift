/// What ``EventDrain`` hands over, one call per event, on the thread serving the queue (the
/// drain's own or a sending one): one thread at a time, in queue order.
package protocol EventDrainDelegate: AnyObject, Sendable {
    /// A batch of reports from one event; the buffer is valid only during the call.
    func deliver(_ messages: UnsafeMutableBufferPointer<DeliveredMessage>)
    /// The event holding `count` reports was destroyed, so that much room is free in the queue.
    func queueRoomFreed(count: Int)
    /// A log line from librdkafka, with its syslog level (0 emergency … 7 debug).
    func log(level: Int32, facility: String, message: String)
    /// An error event: usually transient (a broker connection dropped), fatal if `error.isFatal`.
    func clientError(_ error: NativeError)
    /// librdkafka needs an OAUTHBEARER token; `configuration` is `sasl.oauthbearer.config`.
    func oauthBearerTokenRefresh(configuration: String?)
    /// One latency sample per delivery event whose first record was acknowledged: how long that
    /// record took from produce to acknowledgement.
    func acknowledged(latencyMicroseconds: Int64)
    /// A statistics JSON document (`statistics.interval.ms`).
    func statistics(_ json: String)
    /// Called before every poll: ends the waits whose deadline has passed, and returns how long
    /// the poll may block: -1 for as long as needed (woken by events or ``EventDrain/wake()``),
    /// otherwise the time to the earliest remaining deadline.
    func expireWaitersAndComputePollTimeout() -> Int32
}
