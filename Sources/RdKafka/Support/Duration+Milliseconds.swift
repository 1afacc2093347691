extension Duration {
    /// Whole milliseconds, rounded up (toward +∞) so that a positive duration never becomes 0,
    /// and saturating at `Int64`'s bounds instead of overflowing: any `Duration`, however large,
    /// converts without trapping. A negative duration stays negative, for the `*.ms` settings
    /// whose range librdkafka checks itself.
    var roundedUpMilliseconds: Int64 {
        // `components` traps when the whole seconds do not fit in an Int64 (a Duration holds
        // 128 bits), so those durations saturate before asking.
        if self > .seconds(Int64.max) { return .max }
        if self < .seconds(Int64.min) { return .min }
        // `components` truncates toward zero, so both parts carry the duration's sign.
        let (seconds, attoseconds) = components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        var fraction = attoseconds / attosecondsPerMillisecond
        // Truncation already rounded a negative fraction up; a positive one needs the step.
        if attoseconds % attosecondsPerMillisecond > 0 { fraction += 1 }
        let (whole, overflowed) = seconds.multipliedReportingOverflow(by: 1000)
        if overflowed { return seconds < 0 ? .min : .max }
        let (total, overflowedAgain) = whole.addingReportingOverflow(fraction)
        if overflowedAgain { return fraction < 0 ? .min : .max }
        return total
    }

    /// The duration as the `int` timeout librdkafka's blocking calls take: whole milliseconds
    /// rounded up, at most `Int32.max` (about 24.8 days), and never negative.
    ///
    /// librdkafka reads -1 (and, in some calls, any negative value) as "wait forever", so a
    /// negative duration, which has already passed, becomes 0: the call does not wait at all.
    /// A duration too long to express waits the longest librdkafka can.
    var librdkafkaTimeout: Int32 {
        Int32(clamping: max(0, roundedUpMilliseconds))
    }
}
