import Testing

@testable import RdKafka

/// The one conversion from `Duration` to librdkafka's milliseconds: no input traps, a positive
/// duration never becomes 0, and a negative one never becomes librdkafka's "forever" (-1).
@Suite("Duration to milliseconds")
struct DurationMillisecondsTests {
    /// ⌈nanoseconds / 1e6⌉, computed on plain integers as the reference.
    func ceilingMilliseconds(ofNanoseconds nanoseconds: Int64) -> Int64 {
        let (quotient, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000)
        return remainder > 0 ? quotient + 1 : quotient
    }

    @Test("Every duration from -3 ms to 3 ms, in 1 µs steps plus 1 ns either side, rounds up to the reference")
    func sweepAroundZero() {
        for microseconds in Int64(-3_000)...3_000 {
            for nanoseconds in [microseconds * 1_000 - 1, microseconds * 1_000, microseconds * 1_000 + 1] {
                let duration = Duration.nanoseconds(nanoseconds)
                let expected = ceilingMilliseconds(ofNanoseconds: nanoseconds)
                #expect(duration.roundedUpMilliseconds == expected, "\(nanoseconds) ns")
                #expect(duration.librdkafkaTimeout == Int32(max(0, expected)), "\(nanoseconds) ns")
            }
        }
    }

    /// Durations near and past `Int64`'s millisecond bounds, with the milliseconds they give.
    static let extremes: [(Duration, Int64)] = [
        (Duration.seconds(Int64.max), Int64.max),
        (.seconds(Int64.max / 2), Int64.max),
        (.seconds(Int64.min), Int64.min),
        (.seconds(Int64.min / 2), Int64.min),
        (.milliseconds(Int64.max), Int64.max),
        (.milliseconds(Int64.min), Int64.min),
        // The last whole second before the bound, plus the milliseconds that just fit, then one more.
        (.seconds(9_223_372_036_854_775) + .milliseconds(807), Int64.max),
        (.seconds(9_223_372_036_854_775) + .milliseconds(806) + .nanoseconds(1), Int64.max),
        (.seconds(9_223_372_036_854_775) + .milliseconds(808), Int64.max),
        (.seconds(-9_223_372_036_854_775) - .milliseconds(808), Int64.min),
        (.seconds(-9_223_372_036_854_775) - .milliseconds(809), Int64.min),
        (.seconds(86_400), 86_400_000),
        // Past Int64 seconds, where `Duration.components` itself traps.
        (.seconds(UInt64.max), Int64.max),
        (.seconds(Int64.max) * 2, Int64.max),
        (.seconds(Int64.min) * 2, Int64.min),
    ]

    @Test("Rounded-up milliseconds saturate at Int64's bounds instead of trapping", arguments: extremes)
    func saturates(duration: Duration, milliseconds: Int64) {
        #expect(duration.roundedUpMilliseconds == milliseconds)
    }

    /// Durations at the edges of librdkafka's `int` timeouts, with the timeout they give.
    static let timeouts: [(Duration, Int32)] = [
        (Duration.zero, Int32(0)),
        (.nanoseconds(1), 1),
        (.nanoseconds(-1), 0),
        (.nanoseconds(-1_500_000), 0),
        (.milliseconds(-1), 0),
        (.milliseconds(-2), 0),
        (.seconds(-30), 0),
        (.seconds(Int64.min), 0),
        (.milliseconds(Int64(Int32.max)), Int32.max),
        (.milliseconds(Int64(Int32.max) + 1), Int32.max),
        (.seconds(Int64.max / 2), Int32.max),
        (.seconds(Int64.max), Int32.max),
        (.seconds(UInt64.max), Int32.max),
        (.seconds(Int64.min) * 2, 0),
    ]

    @Test(
        "librdkafka timeouts lie in 0...Int32.max: a negative duration is immediate, a huge one the longest wait",
        arguments: timeouts)
    func librdkafkaTimeout(duration: Duration, milliseconds: Int32) {
        #expect(duration.librdkafkaTimeout == milliseconds)
    }
}
