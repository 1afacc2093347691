extension Duration {
    /// Whole milliseconds, rounded up so that a positive duration never becomes 0; a negative
    /// one stays negative (for librdkafka to refuse with its range).
    var roundedUpMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let remainder = attoseconds % perMillisecond
        return seconds * 1000 + attoseconds / perMillisecond + (remainder > 0 ? 1 : 0)
    }

    /// ``roundedUpMilliseconds`` clamped to the `int` timeouts librdkafka's calls take.
    var librdkafkaTimeout: Int32 {
        Int32(clamping: roundedUpMilliseconds)
    }
}
