import struct Foundation.Date

extension Date {
    /// Milliseconds since 1970-01-01T00:00:00Z, rounded to the nearest, or `nil` when the date
    /// has no such `Int64` value (NaN, infinite, or more than about 292 million years away):
    /// converting those unchecked would trap.
    var millisecondsSince1970: Int64? {
        Int64(exactly: (timeIntervalSince1970 * 1000).rounded())
    }
}
