/// The buffer librdkafka writes a failure's reason into (`errstr`, `errstr_size`) for the
/// calls that explain themselves that way: `rd_kafka_new`, `rd_kafka_conf_set`,
/// `rd_kafka_fatal_error`, `rd_kafka_oauthbearer_set_token`. 512 bytes is what librdkafka's own
/// examples give; a longer reason is cut, never overrun.
struct ReasonBuffer {
    private var bytes = [CChar](repeating: 0, count: 512)

    /// Lends the buffer's address and size to one librdkafka call.
    mutating func withPointer<Result>(_ call: (UnsafeMutablePointer<CChar>, Int) -> Result) -> Result {
        bytes.withUnsafeMutableBufferPointer { buffer in call(buffer.baseAddress!, buffer.count) }
    }

    /// The reason written, as one line.
    var text: String { Self.string(fromNulTerminated: bytes) }

    /// A NUL-terminated C string as one line: some of librdkafka's range errors end in a
    /// newline, and a message for one log line must not.
    static func string(fromNulTerminated buffer: [CChar]) -> String {
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return String(text.reversed().drop { $0.isNewline }.reversed())
    }
}
